using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// A decision on an escalation as the queue page and the API send it. <paramref name="Reason"/> is the reviewer's
/// note (required to reject, and the outcome of a take-over); <paramref name="Arguments"/> the corrected arguments
/// of an edit-approve; <paramref name="Guidance"/> what a return tells the agent; <paramref name="Value"/> the
/// allowed decision output a route or decision escalation is approved as; <paramref name="ExpectedVersion"/> the
/// escalation's version the reviewer saw (a newer one is a conflict).
/// </summary>
public sealed record EscalationDecision(
    EscalationAction Action,
    string? Reason = null,
    JsonObject? Arguments = null,
    string? Guidance = null,
    string? Value = null,
    int? ExpectedVersion = null)
{
    public const int MaxTextLength = 4000;
}
