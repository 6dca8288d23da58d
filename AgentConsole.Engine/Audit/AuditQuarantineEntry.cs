using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// An outbox row the sealer refused (no valid MAC, or malformed), kept as it was found for forensics. The columns are
/// text and nullable on purpose: the row may hold anything someone wrote with raw SQL. Its refusal is also a sealed
/// Security event (<see cref="AuditChain.QuarantineAction"/>), so deleting rows here after review loses no evidence.
/// </summary>
public sealed class AuditQuarantineEntry
{
    public long Id { get; set; }
    public long OutboxId { get; set; }
    public DateTimeOffset QuarantinedAt { get; set; }
    public string Reason { get; set; } = "";
    public string? Timestamp { get; set; }
    public string? ActorType { get; set; }
    public string? Actor { get; set; }
    public string? Category { get; set; }
    public string? Action { get; set; }
    public string? AgentKey { get; set; }
    public string? RunId { get; set; }
    public string? Summary { get; set; }
    public string? Payload { get; set; }
    public string? KeyVersion { get; set; }
    public string? Mac { get; set; }
}

internal sealed class AuditQuarantineConfiguration : IEntityTypeConfiguration<AuditQuarantineEntry>
{
    public void Configure(EntityTypeBuilder<AuditQuarantineEntry> builder)
    {
        builder.ToTable("AuditQuarantine");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.QuarantinedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
    }
}
