namespace AgentConsole.Engine.Escalations;

/// <summary>What happened to an escalation, for the queue pages that show it live.</summary>
public enum EscalationChange
{
    Raised,
    Claimed,
    Released,
    Resolved,
    Held,
    Reminded,
}

/// <summary>An escalation was raised, claimed, released, held or resolved (published in-process after the commit).</summary>
public sealed record EscalationChanged(Guid EscalationId, string AgentKey, EscalationChange Change, string? By = null);
