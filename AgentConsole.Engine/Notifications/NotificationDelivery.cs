using AgentConsole.Engine.Tools.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// One notification to one channel, rendered when it was queued (so a retry sends what the first attempt would have)
/// and delivered by <see cref="NotificationDispatcher"/>. It is written in the escalation's own transaction, so a crash
/// never loses it; a failed attempt is retried on a backoff until <see cref="NotificationOptions.MaxAttempts"/>.
/// </summary>
public sealed class NotificationDelivery
{
    public const int ErrorMaxLength = 1_000;
    public const int AgentNameMaxLength = 200;

    public Guid Id { get; set; }
    public string ChannelKey { get; set; } = "";

    /// <summary>Null for a channel test and an alert.</summary>
    public Guid? EscalationId { get; set; }

    /// <summary>The alert this tells about (alert events only).</summary>
    public long? AlertId { get; set; }

    public NotificationEvent Event { get; set; }
    public NotificationDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }

    /// <summary>What went wrong last: the server or host, never a credential.</summary>
    public string? LastError { get; set; }

    /// <summary>When the next attempt is due (Pending only); also the lease of an attempt in flight.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public string Link { get; set; } = "";

    /// <summary>E-mail recipients, comma-separated (e-mail channels only).</summary>
    public string? Recipients { get; set; }

    /// <summary>For the in-app snackbar and the audit: the agent's display name and the (redacted) reason.</summary>
    public string AgentName { get; set; } = "";
    public string Reason { get; set; } = "";

    /// <summary>
    /// A delivery due now, rendered for <paramref name="channel"/>. E-mail goes to the channel's fixed list if it has
    /// one, else to the valid addresses among <paramref name="reviewerEmails"/>.
    /// </summary>
    internal static NotificationDelivery Due(NotificationChannel channel, Guid? escalationId, NotificationEvent evt, NotificationText text,
        IEnumerable<string> reviewerEmails, string agentName, string reason, DateTimeOffset now, long? alertId = null) => new()
        {
            AlertId = alertId,
            Id = Guid.CreateVersion7(now),
            ChannelKey = channel.Key,
            EscalationId = escalationId,
            Event = evt,
            Status = NotificationDeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            Subject = text.Subject,
            Body = text.Body,
            Link = text.Link,
            Recipients = channel.Kind == NotificationChannelKind.Email ? RecipientsFor(channel, reviewerEmails) : null,
            AgentName = agentName.Length <= AgentNameMaxLength ? agentName : agentName[..(AgentNameMaxLength - 1)] + "…",
            Reason = reason,
        };

    private static string RecipientsFor(NotificationChannel channel, IEnumerable<string> reviewerEmails)
    {
        var fixedList = NotificationChannelSettings.Parse(channel.SettingsJson).Recipients ?? [];
        var list = fixedList.Count > 0 ? fixedList : [.. reviewerEmails.Select(e => e.Trim()).Where(EmailAddresses.IsValid)];
        return string.Join(", ", list.Distinct(StringComparer.OrdinalIgnoreCase));
    }
}

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.ToTable("NotificationDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.ChannelKey).HasMaxLength(NotificationChannel.KeyMaxLength).IsRequired();
        builder.Property(d => d.Event).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(NotificationDelivery.ErrorMaxLength);
        builder.Property(d => d.Subject).HasMaxLength(300);
        builder.Property(d => d.Link).HasMaxLength(2_000);
        builder.Property(d => d.AgentName).HasMaxLength(NotificationDelivery.AgentNameMaxLength);
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => d.EscalationId);
        builder.HasIndex(d => d.AlertId);
        builder.HasIndex(d => new { d.ChannelKey, d.CreatedAt });
    }
}
