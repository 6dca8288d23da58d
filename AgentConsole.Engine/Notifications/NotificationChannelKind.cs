namespace AgentConsole.Engine.Notifications;

/// <summary>How a channel reaches reviewers.</summary>
public enum NotificationChannelKind
{
    /// <summary>An e-mail over SMTP (MailKit) with a deep link.</summary>
    Email,

    /// <summary>A Slack-compatible incoming webhook: POST <c>{"text": "..."}</c>.</summary>
    Webhook,

    /// <summary>In the console itself: the navigation badge and a snackbar for reviewers online.</summary>
    InApp,
}
