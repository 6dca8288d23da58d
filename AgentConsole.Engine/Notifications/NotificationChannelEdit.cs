using AgentConsole.Engine.Tools.Email;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// What an Admin sends to create or change a channel; the Settings form binds to it. Secrets are write-only:
/// <see cref="Password"/> and <see cref="WebhookUrl"/> left empty keep what is stored; <see cref="ClearPassword"/> removes it.
/// </summary>
public sealed class NotificationChannelEdit
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public NotificationChannelKind Kind { get; set; } = NotificationChannelKind.Email;
    public bool Enabled { get; set; } = true;

    public string Host { get; set; } = "";
    public int Port { get; set; } = SmtpSettings.DefaultPort;
    public SmtpTls Tls { get; set; } = SmtpTls.StartTls;
    public string? Username { get; set; }
    public string From { get; set; } = "";

    /// <summary>Fixed recipients separated by commas, semicolons or lines; empty = the escalation's reviewers.</summary>
    public string? Recipients { get; set; }

    public string? Password { get; set; }
    public bool ClearPassword { get; set; }
    public string? WebhookUrl { get; set; }

    /// <summary>The revision the edit started from; null to overwrite whatever is stored.</summary>
    public int? Revision { get; set; }

    public static NotificationChannelEdit Of(NotificationChannelView view) => new()
    {
        Key = view.Key,
        Name = view.Name,
        Kind = view.Kind,
        Enabled = view.Enabled,
        Host = view.Host ?? "",
        Port = view.Port ?? SmtpSettings.DefaultPort,
        Tls = view.Tls ?? SmtpTls.StartTls,
        Username = view.Username,
        From = view.From ?? "",
        Recipients = string.Join(", ", view.Recipients),
        Revision = view.Revision,
    };

    public IReadOnlyList<string> RecipientList() =>
        [.. (Recipients ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
