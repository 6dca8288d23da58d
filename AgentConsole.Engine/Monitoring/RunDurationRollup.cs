using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// A duration histogram of the runs of one agent that ended in one UTC hour: how many fell in each
/// <see cref="DurationBuckets"/> bucket. Percentiles over any window come from summing buckets, never from reading runs.
/// </summary>
public sealed class RunDurationRollup
{
    public string AgentKey { get; set; } = "";
    public DateTimeOffset HourStart { get; set; }
    public int Bucket { get; set; }
    public int Count { get; set; }
}

internal sealed class RunDurationRollupConfiguration : IEntityTypeConfiguration<RunDurationRollup>
{
    public void Configure(EntityTypeBuilder<RunDurationRollup> builder)
    {
        builder.ToTable("RunDurationRollups");
        builder.HasKey(r => new { r.HourStart, r.AgentKey, r.Bucket });
        builder.Property(r => r.AgentKey).HasMaxLength(64);
    }
}
