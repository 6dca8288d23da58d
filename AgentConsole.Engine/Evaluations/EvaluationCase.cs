using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Evaluations;

/// <summary>One case of an evaluation: the test case (or historical run) it runs, its run, and its verdict with the reasons.</summary>
public sealed class EvaluationCase
{
    public Guid Id { get; set; }
    public Guid EvaluationId { get; set; }
    public int Sequence { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The test case scored (test-set evaluations).</summary>
    public Guid? TestCaseId { get; set; }

    /// <summary>The historical run replayed (replays).</summary>
    public Guid? SourceRunId { get; set; }

    /// <summary>The evaluation's own run of this case, once started.</summary>
    public Guid? RunId { get; set; }

    public CaseVerdict Verdict { get; set; }

    /// <summary>Why the case failed (a JSON array of sentences), or for a replay what changed.</summary>
    public string? ReasonsJson { get; set; }

    /// <summary>For a replay: the comparison with the historical run (route, tool calls, escalation, output, cost).</summary>
    public string? DiffJson { get; set; }

    public bool Escalated { get; set; }
    public decimal CostUsd { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

internal sealed class EvaluationCaseConfiguration : IEntityTypeConfiguration<EvaluationCase>
{
    public void Configure(EntityTypeBuilder<EvaluationCase> builder)
    {
        builder.ToTable("EvaluationCases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Verdict).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.CostUsd).HasPrecision(18, 8);
        // Two executions of one case's job must not both start a run: the second one's save fails and it reuses the first's.
        builder.Property(c => c.RunId).IsConcurrencyToken();
        builder.HasIndex(c => new { c.EvaluationId, c.Sequence });
        builder.HasOne<Evaluation>().WithMany().HasForeignKey(c => c.EvaluationId).OnDelete(DeleteBehavior.Cascade);
    }
}
