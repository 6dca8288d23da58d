namespace AgentConsole.Engine.Escalations;

/// <summary>Which escalations a queue view or the API lists: open ones due first, or resolved ones newest first.</summary>
public sealed record EscalationQuery(
    bool Open = true,
    string? Agent = null,
    EscalationKind? Kind = null,
    EscalationDue? Due = null,
    TimeSpan? OlderThan = null,
    string? Cursor = null,
    int Limit = 50);

/// <summary>The due filter of the queue: past the SLA, or within the "due soon" window.</summary>
public enum EscalationDue
{
    Overdue,
    Soon,
}
