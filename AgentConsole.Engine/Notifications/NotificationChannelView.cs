using AgentConsole.Engine.Tools.Email;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// A channel as Settings shows it: its settings, whether each secret is set (never its value: the webhook URL is a
/// credential too) and its latest delivery.
/// </summary>
public sealed record NotificationChannelView(
    Guid Id,
    string Key,
    string Name,
    NotificationChannelKind Kind,
    bool Enabled,
    string? Host,
    int? Port,
    SmtpTls? Tls,
    string? Username,
    string? From,
    IReadOnlyList<string> Recipients,
    bool PasswordSet,
    bool WebhookUrlSet,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    int Revision,
    NotificationDeliveryView? LastDelivery)
{
    public bool BuiltIn => Key == NotificationChannel.InAppKey;
}
