namespace AgentConsole.Engine.Tools.Messaging;

/// <summary>
/// A row a sandbox connector writes as the effect of one call. The benchmark counts effects against the run journal
/// through exactly these columns, and the unique <see cref="IdempotencyKey"/> makes a repeated call a no-op.
/// </summary>
public interface ISandboxEffect
{
    /// <summary>The run; null for a call made outside a run (a test call from the Tools page).</summary>
    Guid? RunId { get; }

    string CallId { get; }

    /// <summary><see cref="ToolCall.IdempotencyKey"/>; unique in each sandbox table.</summary>
    string IdempotencyKey { get; }
}
