using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// One way an agent is activated: its kind, filter, input mapping and per-kind settings. Secrets (webhook signing
/// secrets, IMAP passwords, a polled database's connection string) are kept encrypted in <see cref="SecretsProtected"/>
/// and never leave <see cref="TriggerCatalog"/> except once, when a webhook secret is created or rotated.
/// </summary>
public sealed class Trigger
{
    public Guid Id { get; set; }

    /// <summary>URL-safe, unique across agents: <c>/hooks/{Key}</c>, <c>/forms/{Key}</c>, actor <c>trigger:{Key}</c>.</summary>
    public string Key { get; set; } = "";

    public string AgentKey { get; set; } = "";
    public string Name { get; set; } = "";
    public TriggerKind Kind { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>A <see cref="TriggerFilter"/> as JSON; null matches every event.</summary>
    public string? FilterJson { get; set; }

    /// <summary>Agent input field → payload path (<see cref="TriggerMapping"/>) as JSON; null copies same-named fields.</summary>
    public string? MappingJson { get; set; }

    /// <summary>The kind's non-secret settings (a JSON object), validated by its <see cref="ITriggerKindHandler"/>.</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>Data-Protection-encrypted JSON object of secrets by name (see <see cref="TriggerSecrets"/>).</summary>
    public string? SecretsProtected { get; set; }

    /// <summary>Payload path whose value de-duplicates events (besides the <c>Idempotency-Key</c> header); null = header only.</summary>
    public string? DedupField { get; set; }

    /// <summary>How long a de-duplication key is remembered.</summary>
    public int DedupWindowMinutes { get; set; } = TriggerOptions.DefaultDedupWindowMinutes;

    /// <summary>Pollers' high-water mark (last IMAP UID, last seen column value); opaque to everything else.</summary>
    public string? Cursor { get; set; }

    /// <summary>When a poller or schedule last ran, and what went wrong last (null when the last check was healthy).</summary>
    public DateTimeOffset? LastCheckedAt { get; set; }

    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    /// <summary>Optimistic concurrency: bumped by every change a person makes (If-Match on the API).</summary>
    public int Revision { get; set; } = 1;

    /// <summary>Unhealthy when a poller's last check failed (an unreachable IMAP server, a failing query).</summary>
    public bool Healthy => LastError is null;
}

internal sealed class TriggerConfiguration : IEntityTypeConfiguration<Trigger>
{
    public void Configure(EntityTypeBuilder<Trigger> builder)
    {
        builder.ToTable("Triggers");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Key).HasMaxLength(64);
        builder.HasIndex(t => t.Key).IsUnique();
        builder.Property(t => t.AgentKey).HasMaxLength(64);
        builder.HasIndex(t => t.AgentKey);
        builder.Property(t => t.Name).HasMaxLength(120);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(t => t.DedupField).HasMaxLength(256);
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
        builder.Property(t => t.UpdatedBy).HasMaxLength(256);
        builder.Property(t => t.LastError).HasMaxLength(2_000);
        builder.Property(t => t.Revision).IsConcurrencyToken();
        builder.Ignore(t => t.Healthy);
    }
}
