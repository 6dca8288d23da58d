namespace AgentConsole.Engine.Notifications;

/// <summary>Why reviewers are told about an escalation.</summary>
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
}
