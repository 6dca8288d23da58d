namespace AgentConsole.Engine.Notifications;

/// <summary>Why someone is told: an escalation's events, a channel test, or an alert.</summary>
public enum NotificationEvent
{
    /// <summary>The escalation was just raised.</summary>
    Raised,

    /// <summary>Its SLA runs out soon and nobody has decided.</summary>
    Reminder,

    /// <summary>Nobody decided in time: the agent's default action was applied.</summary>
    DefaultApplied,

    /// <summary>An Admin pressed "Send test" on a channel; no escalation behind it.</summary>
    Test,

    /// <summary>An alert rule fired (<see cref="NotificationDelivery.AlertId"/>); no escalation behind it.</summary>
    AlertFired,

    /// <summary>A firing alert's condition no longer holds.</summary>
    AlertResolved,
}
