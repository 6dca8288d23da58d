namespace AgentConsole.Triggers;

/// <summary>A page of a trigger's inbox, newest first.</summary>
public sealed record TriggerEventPageResponse(IReadOnlyList<TriggerEventResponse> Items, string? NextCursor);
