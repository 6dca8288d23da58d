using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// The runs of one agent that ended in one UTC hour, summed. Maintained incrementally (every run that ends adds a
/// <see cref="RunRollupDelta"/> in its own transaction; <see cref="RollupFolder"/> folds the deltas in here) and
/// rebuildable from the runs, so the dashboard reads a few hundred rows instead of every run.
/// </summary>
public sealed class RunRollup
{
    public string AgentKey { get; set; } = "";

    /// <summary>The start of the UTC hour the runs ended in.</summary>
    public DateTimeOffset HourStart { get; set; }

    public int Ended { get; set; }
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    public int Cancelled { get; set; }
    public int HandledByHuman { get; set; }

    /// <summary>Ended runs that handed at least one case to a person.</summary>
    public int Escalated { get; set; }

    public decimal CostUsd { get; set; }

    /// <summary>The part of <see cref="CostUsd"/> spent by runs whose usage was estimated (the provider did not report it).</summary>
    public decimal EstimatedCostUsd { get; set; }

    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long ActiveMilliseconds { get; set; }

    internal void Add(RunContribution c, int weight)
    {
        Ended += weight;
        Succeeded += c.Status == Runs.RunStatus.Succeeded ? weight : 0;
        Failed += c.Status == Runs.RunStatus.Failed ? weight : 0;
        Cancelled += c.Status == Runs.RunStatus.Cancelled ? weight : 0;
        HandledByHuman += c.Status == Runs.RunStatus.HandledByHuman ? weight : 0;
        Escalated += c.Escalated ? weight : 0;
        CostUsd += weight * c.CostUsd;
        EstimatedCostUsd += c.Estimated ? weight * c.CostUsd : 0m;
        InputTokens += weight * c.InputTokens;
        OutputTokens += weight * c.OutputTokens;
        ActiveMilliseconds += weight * c.ActiveMilliseconds;
    }

    internal void Add(RunRollup other)
    {
        Ended += other.Ended;
        Succeeded += other.Succeeded;
        Failed += other.Failed;
        Cancelled += other.Cancelled;
        HandledByHuman += other.HandledByHuman;
        Escalated += other.Escalated;
        CostUsd += other.CostUsd;
        EstimatedCostUsd += other.EstimatedCostUsd;
        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        ActiveMilliseconds += other.ActiveMilliseconds;
    }

    internal bool IsEmpty => Ended == 0 && CostUsd == 0 && InputTokens == 0 && OutputTokens == 0 && ActiveMilliseconds == 0;
}

internal sealed class RunRollupConfiguration : IEntityTypeConfiguration<RunRollup>
{
    public void Configure(EntityTypeBuilder<RunRollup> builder)
    {
        builder.ToTable("RunRollups");
        builder.HasKey(r => new { r.HourStart, r.AgentKey });
        builder.Property(r => r.AgentKey).HasMaxLength(64);
        builder.Property(r => r.CostUsd).HasPrecision(18, 8);
        builder.Property(r => r.EstimatedCostUsd).HasPrecision(18, 8);
        builder.HasIndex(r => new { r.AgentKey, r.HourStart });
    }
}
