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

    public Guid Id { get; set; }
    public string ChannelKey { get; set; } = "";

    /// <summary>Null for a channel test.</summary>
    public Guid? EscalationId { get; set; }

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
        builder.Property(d => d.AgentName).HasMaxLength(200);
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => d.EscalationId);
        builder.HasIndex(d => new { d.ChannelKey, d.CreatedAt });
    }
}
