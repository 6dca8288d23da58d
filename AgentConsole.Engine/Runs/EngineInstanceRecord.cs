using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// An engine instance's heartbeat row. One SQLite file (or, later, one PostgreSQL database) is all that instances
/// share, so this is how one tells whether the owner of a lease is alive.
/// </summary>
public sealed class EngineInstanceRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}

internal sealed class EngineInstanceRecordConfiguration : IEntityTypeConfiguration<EngineInstanceRecord>
{
    public void Configure(EntityTypeBuilder<EngineInstanceRecord> builder)
    {
        builder.ToTable("EngineInstances");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(32);
        builder.Property(i => i.Name).HasMaxLength(200).IsRequired();
        builder.HasIndex(i => i.Name);
    }
}
