namespace AgentConsole.Engine.Triggers;

/// <summary>
/// What the inbox answers once an event is persisted: its id, or — for a duplicate within the de-duplication
/// window — the id of the original event, which is not run again.
/// </summary>
public sealed record TriggerReceipt(Guid EventId, bool Duplicate);
