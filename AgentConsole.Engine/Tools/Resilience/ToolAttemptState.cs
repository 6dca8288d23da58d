namespace AgentConsole.Engine.Tools.Resilience;

/// <summary>One call's progress through its pipeline: which attempt it is on, and whom to tell about failures.</summary>
internal sealed class ToolAttemptState(ToolCall call, IConnector connector, ToolResilienceOptions settings, Func<ToolAttempt, CancellationToken, ValueTask>? onAttemptFailed)
{
    public ToolCall Call { get; } = call;

    public IConnector Connector { get; } = connector;

    public ToolResilienceOptions Settings { get; } = settings;

    public Func<ToolAttempt, CancellationToken, ValueTask>? OnAttemptFailed { get; } = onAttemptFailed;

    /// <summary>Attempts that reached the connector (or the simulated failure) so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The last attempt already reported to <see cref="OnAttemptFailed"/> (with the wait before the next).</summary>
    public int Reported { get; set; }

    public ToolCallException? LastFailure { get; set; }

    /// <summary>See <see cref="ToolOptions.SandboxFaultRatio"/>.</summary>
    public double SandboxFaultRatio { get; init; }
}
