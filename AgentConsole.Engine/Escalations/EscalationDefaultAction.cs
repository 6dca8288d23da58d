namespace AgentConsole.Engine.Escalations;

/// <summary>What happens when nobody decides an escalation within its SLA.</summary>
public enum EscalationDefaultAction
{
    /// <summary>Keep the case open, give reviewers another SLA period and notify them again.</summary>
    Hold,

    /// <summary>Reject, as a reviewer would: a held tool call is declined, anything else ends the run.</summary>
    Reject,

    /// <summary>Cancel the run.</summary>
    CancelRun,

    /// <summary>Approve a held tool call only when it is reversible and within the approval threshold to undo; otherwise hold.</summary>
    ApproveIfReversible,
}
