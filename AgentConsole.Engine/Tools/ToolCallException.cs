namespace AgentConsole.Engine.Tools;

/// <summary>A connector's failure, classified so the engine knows whether to retry, tell the model or escalate.</summary>
public sealed class ToolCallException(ToolFailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ToolFailureKind Kind { get; } = kind;

    /// <summary>How long the other side asked us to wait (HTTP <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>HTTP status or another code from the other side, when there is one.</summary>
    public int? Status { get; init; }
}
