using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// Where escalation notifications go: an SMTP server, a Slack-compatible webhook or the console itself. Settings are
/// plain JSON; credentials (the SMTP password, the webhook URL, which is itself the credential) are encrypted with
/// Data Protection and never leave <see cref="NotificationChannels"/> except into a delivery attempt.
/// </summary>
public sealed class NotificationChannel
{
    public const int KeyMaxLength = 64;
    public const int NameMaxLength = 100;

    /// <summary>The built-in in-app channel every installation has.</summary>
    public const string InAppKey = "in-app";

    public Guid Id { get; set; }
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public NotificationChannelKind Kind { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>Non-secret settings as a JSON object (SMTP host, port, tls, username, from, recipients).</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>Secrets as a JSON object of name → value, protected with Data Protection; null when none are set.</summary>
    public string? ProtectedSecrets { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    /// <summary>Incremented on every save; two Admins editing at once do not overwrite each other.</summary>
    public int Revision { get; set; }
}

internal sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> builder)
    {
        builder.ToTable("NotificationChannels");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Key).HasMaxLength(NotificationChannel.KeyMaxLength).IsRequired();
        builder.HasIndex(c => c.Key).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(NotificationChannel.NameMaxLength).IsRequired();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.UpdatedBy).HasMaxLength(256);
        builder.Property(c => c.Revision).IsConcurrencyToken();
    }
}
