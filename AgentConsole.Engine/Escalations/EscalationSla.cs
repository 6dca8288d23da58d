namespace AgentConsole.Engine.Escalations;

/// <summary>The time a case may wait, when reviewers are reminded, and what happens when it runs out.</summary>
public sealed record EscalationSla(TimeSpan Due, TimeSpan RemindBefore, EscalationDefaultAction DefaultAction)
{
    public static EscalationSla From(EscalationPolicy policy) =>
        new(TimeSpan.FromMinutes(policy.SlaMinutes), TimeSpan.FromMinutes(policy.ReminderMinutesBefore), policy.DefaultAction);
}
