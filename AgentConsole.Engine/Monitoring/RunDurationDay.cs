using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// The duration histogram of one agent's runs that ended in one UTC day: the hourly buckets summed, so a 30-day
/// percentile reads 30 rows per bucket instead of 720 (at a million runs, hundreds of thousands of hourly bucket rows).
/// </summary>
public sealed class RunDurationDay
{
    public string AgentKey { get; set; } = "";

    /// <summary>Midnight UTC of the day the runs ended in.</summary>
    public DateTimeOffset DayStart { get; set; }

    public int Bucket { get; set; }
    public int Count { get; set; }
}

internal sealed class RunDurationDayConfiguration : IEntityTypeConfiguration<RunDurationDay>
{
    public void Configure(EntityTypeBuilder<RunDurationDay> builder)
    {
        builder.ToTable("RunDurationDays");
        builder.HasKey(r => new { r.DayStart, r.AgentKey, r.Bucket });
        builder.Property(r => r.AgentKey).HasMaxLength(64);
    }
}
