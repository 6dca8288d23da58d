using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Audit;

public enum AuditCategory
{
    Trigger,
    Decision,
    Model,
    Tool,
    Escalation,
    Human,
    Configuration,
    Security,

    /// <summary>Alerts firing, resolving and being acknowledged (rule edits are Configuration).</summary>
    Alert,
}

public enum AuditActorType
{
    User,
    ApiKey,
    Run,
    System,

    /// <summary>A trigger (webhook, form, schedule, poller) acting on its own, e.g. starting a run.</summary>
    Trigger,
}

/// <summary>
/// A sealed, hash-chained audit event. Rows are only ever inserted by <see cref="AuditChain"/> and deleted by
/// its retention purge; each category forms its own chain so per-category retention removes a prefix of it.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Global, strictly increasing sequence number.</summary>
    public long Sequence { get; init; }

    public DateTimeOffset Timestamp { get; init; }
    public AuditActorType ActorType { get; init; }
    public string Actor { get; init; } = "";
    public AuditCategory Category { get; init; }

    /// <summary>Machine-readable name of what happened, e.g. <c>agent.updated</c>.</summary>
    public string Action { get; init; } = "";

    public string? AgentKey { get; init; }
    public string? RunId { get; init; }
    public string Summary { get; init; } = "";

    /// <summary>JSON text, exactly as hashed.</summary>
    public string Payload { get; init; } = "{}";

    /// <summary>Hash of the previous event of the same category (or the purge anchor's, or zeros).</summary>
    public string PreviousHash { get; init; } = "";

    /// <summary>HMAC-SHA256(key, previous hash + canonical event), hex.</summary>
    public string Hash { get; init; } = "";

    /// <summary>
    /// Version id of the key <see cref="Hash"/> was made with, so events sealed before a key rotation stay verifiable.
    /// Not part of the hashed content: a changed version simply selects a key that does not reproduce the hash.
    /// </summary>
    public string KeyVersion { get; init; } = AuditOptions.DefaultKeyVersion;
}

/// <summary>An audit entry written in the same transaction as the action it records, waiting to be sealed into the chain.</summary>
public sealed class AuditOutboxEntry
{
    public long Id { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public AuditActorType ActorType { get; set; }
    public string Actor { get; set; } = "";
    public AuditCategory Category { get; set; }
    public string Action { get; set; } = "";
    public string? AgentKey { get; set; }
    public string? RunId { get; set; }
    public string Summary { get; set; } = "";
    public string Payload { get; set; } = "{}";

    /// <summary>Version id of the key <see cref="Mac"/> was made with.</summary>
    public string? KeyVersion { get; set; }

    /// <summary>
    /// HMAC of the row's content with the audit key, made when it was recorded. The sealer quarantines rows without a
    /// valid one: someone who can write to the database but has no key cannot slip (backdated) events into the chain.
    /// </summary>
    public string? Mac { get; set; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        // UTC ticks, so raw SQL (sealer, search, purge) and EF agree on the stored value.
        builder.Property(e => e.Timestamp).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        builder.Property(e => e.ActorType).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Category).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.AgentKey).HasMaxLength(64);
        builder.Property(e => e.RunId).HasMaxLength(64);
        builder.Property(e => e.Summary).HasMaxLength(AuditLog.SummaryMaxLength);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.Property(e => e.KeyVersion).HasMaxLength(32);
        builder.HasIndex(e => new { e.Category, e.Sequence });
        builder.HasIndex(e => e.Timestamp);
        builder.HasIndex(e => new { e.AgentKey, e.Sequence });
        builder.HasIndex(e => new { e.RunId, e.Sequence });
        builder.HasIndex(e => new { e.Actor, e.Sequence });
        builder.HasIndex(e => new { e.Action, e.Sequence });
    }
}

internal sealed class AuditOutboxConfiguration : IEntityTypeConfiguration<AuditOutboxEntry>
{
    public void Configure(EntityTypeBuilder<AuditOutboxEntry> builder)
    {
        builder.ToTable("AuditOutbox");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Timestamp).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        builder.Property(e => e.ActorType).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.Property(e => e.Category).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.AgentKey).HasMaxLength(64);
        builder.Property(e => e.RunId).HasMaxLength(64);
        builder.Property(e => e.Summary).HasMaxLength(AuditLog.SummaryMaxLength);
        builder.Property(e => e.KeyVersion).HasMaxLength(32);
        builder.Property(e => e.Mac).HasMaxLength(64);
    }
}
