using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// One evaluation of an agent configuration (prompt version + decision versions + model): a test set scored case by case,
/// or a what-if replay of historical runs. Its runs are of a non-production kind, forced onto sandbox connectors, and
/// excluded from production metrics.
/// </summary>
public sealed class Evaluation
{
    public Guid Id { get; set; }
    public string AgentKey { get; set; } = "";
    public EvaluationKind Kind { get; set; }
    public EvaluationStatus Status { get; set; }

    /// <summary>The test set scored (null for a replay).</summary>
    public Guid? TestSetId { get; set; }

    /// <summary>The prompt version evaluated; null: the built-in default prompt (the agent has no versions).</summary>
    public Guid? PromptVersionId { get; set; }
    public int? PromptVersionNumber { get; set; }

    /// <summary>The decision versions evaluated, a JSON object of decision key → version number.</summary>
    public string DecisionVersionsJson { get; set; } = "{}";

    public string? Provider { get; set; }
    public string? ModelId { get; set; }

    /// <summary>
    /// For a draft's evaluation: the evaluation of the agent's published configuration on the same test set that it is
    /// compared with (started with it when none existed).
    /// </summary>
    public Guid? BaselineEvaluationId { get; set; }

    public int Total { get; set; }
    public int Completed { get; set; }
    public int Passed { get; set; }
    public int Failed { get; set; }
    public int Errors { get; set; }
    public int Escalated { get; set; }
    public decimal CostUsd { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The pass rate over all cases, once complete (errors count as failures).</summary>
    public double? PassRate => Status == EvaluationStatus.Completed && Total > 0 ? (double)Passed / Total : null;
}

internal sealed class EvaluationConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> builder)
    {
        builder.ToTable("Evaluations");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.AgentKey).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Provider).HasMaxLength(100);
        builder.Property(e => e.ModelId).HasMaxLength(200);
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
        builder.Property(e => e.CostUsd).HasPrecision(18, 8);
        builder.Ignore(e => e.PassRate);
        builder.HasIndex(e => new { e.AgentKey, e.CreatedAt });
        builder.HasIndex(e => e.PromptVersionId);
    }
}
