namespace AgentConsole.Engine.Tools;

/// <summary>Why a tool call failed, which decides what happens next.</summary>
public enum ToolFailureKind
{
    /// <summary>The arguments are wrong: the model is told and may correct itself; never retried.</summary>
    InvalidArguments,

    /// <summary>May succeed later (5xx, 429, time-out, connection refused): retried with backoff, then escalated.</summary>
    Transient,

    /// <summary>Will not succeed by trying again (401/403, misconfigured connection, a refused URL or SQL): escalated at once.</summary>
    Permanent,
}
