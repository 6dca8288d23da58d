namespace AgentConsole.Engine.Notifications;

/// <summary>One delivery as the queue page and Settings show it: never the recipients' secrets, never a webhook URL.</summary>
public sealed record NotificationDeliveryView(
    Guid Id,
    string ChannelKey,
    string ChannelName,
    NotificationChannelKind Kind,
    NotificationEvent Event,
    NotificationDeliveryStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt);
