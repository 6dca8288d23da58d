using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// One run's contribution to the rollups, added (+1) or withdrawn (−1), written in the same transaction as the change to
/// the run. Insert-only, so concurrent runs never contend for a rollup row; <see cref="RollupFolder"/> folds them into
/// <see cref="RunRollup"/> and deletes them by id, and readers add the ones not folded yet.
/// </summary>
public sealed class RunRollupDelta
{
    public long Id { get; set; }
    public string AgentKey { get; set; } = "";
    public DateTimeOffset HourStart { get; set; }

    /// <summary>+1 adds the contribution, −1 withdraws one written earlier (a run whose ended values changed).</summary>
    public int Weight { get; set; }

    public RunStatus Status { get; set; }
    public bool Escalated { get; set; }
    public bool Estimated { get; set; }
    public decimal CostUsd { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long ActiveMilliseconds { get; set; }

    /// <summary>Not stored: true when this delta records the run ending (not a correction of an ended run).</summary>
    internal bool FirstEnd { get; set; }

    internal RunContribution Contribution => new(AgentKey, HourStart, Status, Escalated, Estimated, CostUsd, InputTokens, OutputTokens, ActiveMilliseconds);

    internal static RunRollupDelta From(RunContribution c, int weight) => new()
    {
        AgentKey = c.AgentKey,
        HourStart = c.HourStart,
        Weight = weight,
        Status = c.Status,
        Escalated = c.Escalated,
        Estimated = c.Estimated,
        CostUsd = c.CostUsd,
        InputTokens = c.InputTokens,
        OutputTokens = c.OutputTokens,
        ActiveMilliseconds = c.ActiveMilliseconds,
    };
}

internal sealed class RunRollupDeltaConfiguration : IEntityTypeConfiguration<RunRollupDelta>
{
    public void Configure(EntityTypeBuilder<RunRollupDelta> builder)
    {
        builder.ToTable("RunRollupDeltas");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedOnAdd();
        builder.Property(d => d.AgentKey).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.CostUsd).HasPrecision(18, 8);
        builder.HasIndex(d => d.HourStart);
        builder.Ignore(d => d.FirstEnd);
    }
}
