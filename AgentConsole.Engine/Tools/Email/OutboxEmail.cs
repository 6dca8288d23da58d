using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Email;

/// <summary>An e-mail the sandbox e-mail connection "sent": it stays in the app and shows on the Outbox page.</summary>
public sealed class OutboxEmail : ISandboxEffect
{
    public long Id { get; set; }
    public Guid? RunId { get; set; }
    public string AgentKey { get; set; } = "";
    public string CallId { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public string From { get; set; } = "";
    public string To { get; set; } = "";
    public string? Cc { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>The Message-Id the live connection would have sent (derived from the idempotency key).</summary>
    public string MessageId { get; set; } = "";

    public DateTimeOffset SentAt { get; set; }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> builder)
    {
        SandboxEffects.ConfigureEffect(builder, "SandboxOutbox");
        builder.HasIndex(e => e.SentAt);
        builder.Property(e => e.From).HasMaxLength(EmailAddresses.MaxLength);
        builder.Property(e => e.To).HasMaxLength(EmailAddresses.MaxLength);
        builder.Property(e => e.Cc).HasMaxLength(EmailAddresses.MaxLength);
        builder.Property(e => e.Subject).HasMaxLength(EmailConnector.MaxSubjectChars);
        builder.Property(e => e.MessageId).HasMaxLength(EmailAddresses.MaxLength + 80);
    }
}
