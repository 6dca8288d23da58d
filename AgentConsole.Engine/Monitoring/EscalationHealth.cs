namespace AgentConsole.Engine.Monitoring;

/// <summary>Where an escalation rate sits against the practice guide's steady-state band.</summary>
public enum EscalationHealth
{
    NoData,

    /// <summary>Under 5 %: the agent is probably acting on cases it should hand over.</summary>
    Low,

    /// <summary>5–15 %: the healthy band.</summary>
    Healthy,

    /// <summary>Over 15 % and up to 30 %: more cases go to people than the automation should send.</summary>
    High,

    /// <summary>Over 30 %: the workflow needs redesign.</summary>
    Redesign,
}
