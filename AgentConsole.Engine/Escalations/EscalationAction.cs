namespace AgentConsole.Engine.Escalations;

/// <summary>What a reviewer (or the SLA's default action) does with an open escalation.</summary>
public enum EscalationAction
{
    /// <summary>Let the run go on: run the held tool call, grant a stopped run another allowance, or carry on (as the chosen value).</summary>
    Approve,

    /// <summary>Decline: a held tool call is not run (the agent hears why); any other escalation ends the run.</summary>
    Reject,

    /// <summary>End the run.</summary>
    Cancel,

    /// <summary>Approve a held tool call with arguments the reviewer corrected (checked against the tool's schema).</summary>
    EditApprove,

    /// <summary>Send the case back to the agent with the reviewer's guidance; the run resumes with it.</summary>
    Return,

    /// <summary>A person handles the case; the run ends as handled by a human with the reviewer's outcome.</summary>
    TakeOver,
}
