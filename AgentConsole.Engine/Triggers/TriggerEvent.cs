using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// One received event in the durable inbox. The row is written before the sender gets its 2xx (or before a poller marks
/// the source message seen), so an acknowledged event is never lost; the filter and the run start come after.
/// </summary>
public sealed class TriggerEvent
{
    public Guid Id { get; set; }
    public Guid TriggerId { get; set; }
    public string TriggerKey { get; set; } = "";
    public string AgentKey { get; set; } = "";
    public TriggerKind Kind { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>UTC day number (<see cref="DateOnly.DayNumber"/>) of <see cref="ReceivedAt"/>: per-day statistics group on it.</summary>
    public int Day { get; set; }

    public TriggerEventStatus Status { get; set; }

    /// <summary>Why it was filtered out, rejected or failed (or which duplicate), in words a person can act on.</summary>
    public string? Reason { get; set; }

    /// <summary>True once the filter matched (kept when the run then failed to start), for the "matched" statistic.</summary>
    public bool Matched { get; set; }

    /// <summary>The event's payload (a JSON object) as received; null for rejected events and duplicates.</summary>
    public string? PayloadJson { get; set; }

    /// <summary>The de-duplication key while its window lasts (unique per trigger); cleared when a later event reuses it after the window.</summary>
    public string? DedupKey { get; set; }

    public Guid? DuplicateOf { get; set; }
    public Guid? RunId { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>Where it came from, for people: the client address, a message id, a row key.</summary>
    public string? Source { get; set; }

    public static int DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).DayNumber;
}

internal sealed class TriggerEventConfiguration : IEntityTypeConfiguration<TriggerEvent>
{
    public void Configure(EntityTypeBuilder<TriggerEvent> builder)
    {
        builder.ToTable("TriggerEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.TriggerKey).HasMaxLength(64);
        builder.Property(e => e.AgentKey).HasMaxLength(64);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(2_000);
        builder.Property(e => e.DedupKey).HasMaxLength(256);
        builder.Property(e => e.Source).HasMaxLength(256);
        builder.HasIndex(e => new { e.TriggerId, e.DedupKey }).IsUnique().HasFilter("\"DedupKey\" IS NOT NULL");
        builder.HasIndex(e => new { e.TriggerId, e.Day });
        builder.HasIndex(e => new { e.TriggerId, e.ReceivedAt });
        builder.HasIndex(e => e.Status).HasFilter("\"Status\" = 'Received'");
    }
}
