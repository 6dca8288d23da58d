namespace AgentConsole.Engine.Alerts;

/// <summary>What an alert rule watches. Each kind reads its own parameters from <see cref="AlertParameters"/>.</summary>
public enum AlertKind
{
    /// <summary>Failed + StoppedByLimit over the runs that ended in the window, above a percentage, with a minimum of runs.</summary>
    ErrorRate,

    /// <summary>One run costing more than N x the agent's trailing median run cost, or more than a fixed amount.</summary>
    RunCost,

    /// <summary>Today's (UTC) spend over an amount, per agent or all agents together.</summary>
    DailySpend,

    /// <summary>Escalation rate outside the healthy band (5-15 %) or over the redesign mark (30 %).</summary>
    EscalationRate,

    /// <summary>Open escalations past their due time.</summary>
    EscalationsOverdue,

    /// <summary>A trigger's event volume dropping to zero, or spiking, against the previous equal windows.</summary>
    TriggerVolume,
}
