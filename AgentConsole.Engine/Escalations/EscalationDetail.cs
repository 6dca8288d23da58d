using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Escalations;

/// <summary>An escalation with its run's state and totals, and the agent's policy (who reviews, four eyes, grants).</summary>
public sealed record EscalationDetail(
    Escalation Escalation, string AgentName, RunStatus RunStatus, string StartedBy, decimal RunCostUsd, int RunSteps, int RunToolCalls,
    bool UsageEstimated, EscalationPolicy Policy, int LimitGrantsUsed)
{
    public EscalationChoices? Choices => EscalationChoices.Parse(Escalation.ChoicesJson);
}
