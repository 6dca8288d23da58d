namespace AgentConsole.Engine.Triggers;

/// <summary>A page of a trigger's inbox, newest first, with the cursor of the next page (null at the end).</summary>
public sealed record TriggerEventPage(IReadOnlyList<TriggerEvent> Items, string? NextCursor);
