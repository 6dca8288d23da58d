namespace AgentConsole.Engine.Runs;

/// <summary>Where a run came from when a trigger started it: the trigger and the inbox event (provenance).</summary>
public sealed record RunOrigin(string TriggerKey, Guid EventId)
{
    /// <summary>The actor name a trigger acts under in runs and the audit log.</summary>
    public string Actor => $"trigger:{TriggerKey}";
}
