namespace AgentConsole.Engine.Triggers.Polling;

/// <summary>What one poll did: events received, the cursor it left, and the error that stopped it (null when healthy).</summary>
public sealed record TriggerPollResult(int Received, string? Cursor, string? Error)
{
    public static readonly TriggerPollResult Skipped = new(0, null, null);
}
