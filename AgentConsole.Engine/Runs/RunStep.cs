using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Runs;

public enum RunStepKind
{
    /// <summary>The trigger input the run started from.</summary>
    Trigger,

    /// <summary>The run changed state: started, resumed, finished.</summary>
    Status,
    Decision,
    ModelCall,
    ToolCall,
    Escalation,

    /// <summary>A person acted on the run: resolved an escalation, cancelled it.</summary>
    Human,
    Limit,
    Output,
    Error,
}

/// <summary>
/// One entry of a run's timeline. Tool-call steps double as the journal: a call id that already has a step is
/// not performed again when the run is re-executed, its recorded result is reused.
/// </summary>
public sealed class RunStep
{
    public long Id { get; set; }
    public Guid RunId { get; set; }

    /// <summary>1, 2, 3… within the run.</summary>
    public int Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public RunStepKind Kind { get; set; }
    public string Title { get; set; } = "";

    /// <summary>What the timeline shows, as JSON, already redacted.</summary>
    public string? DetailJson { get; set; }
    public bool IsError { get; set; }

    public string? ToolName { get; set; }

    /// <summary>The model's tool-call id: the idempotency key of the side effect within the run.</summary>
    public string? CallId { get; set; }

    /// <summary>The tool's real result, reused on re-execution; never shown or audited (the detail is the redacted form).</summary>
    public string? JournalJson { get; set; }

    /// <summary>
    /// The call was put on record before it started and has no result yet. Written (fenced by the lease) before the
    /// tool runs, so an executor taking the run over knows the call may have taken effect and never performs it again.
    /// </summary>
    public bool InFlight { get; set; }

    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public decimal? CostUsd { get; set; }
    public bool UsageEstimated { get; set; }
    public long? DurationMs { get; set; }

    public const int TitleMaxLength = 500;

    /// <summary>Shortens a title to what the column holds, marking the cut.</summary>
    public static string FitTitle(string title) => title.Length > TitleMaxLength ? title[..(TitleMaxLength - 3)] + "..." : title;

    /// <summary>
    /// Adds a step after the run's last one, for writers other than an executing run (a cancel, a reviewer's decision,
    /// a failure recorded after an error); the executor numbers its own steps in memory. Title and detail go through
    /// the run's redaction like every other step.
    /// </summary>
    internal static async Task<RunStep> AppendAsync(Persistence.AgentConsoleDbContext db, Redaction.RunRedaction redaction, Guid runId, DateTimeOffset at,
        RunStepKind kind, string title, object? detail = null, bool isError = false, CancellationToken ct = default)
    {
        var step = new RunStep
        {
            RunId = runId,
            Sequence = (await RunQueries.LastSequence(db, runId, ct) ?? 0) + 1,
            At = at,
            Kind = kind,
            Title = FitTitle(redaction.Text(title)),
            DetailJson = redaction.Detail(detail),
            IsError = isError,
        };
        db.RunSteps.Add(step);
        return step;
    }
}

internal sealed class RunStepConfiguration : IEntityTypeConfiguration<RunStep>
{
    public void Configure(EntityTypeBuilder<RunStep> builder)
    {
        builder.ToTable("RunSteps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Title).HasMaxLength(RunStep.TitleMaxLength).IsRequired();
        builder.Property(s => s.ToolName).HasMaxLength(100);
        builder.Property(s => s.CallId).HasMaxLength(200);
        builder.Property(s => s.CostUsd).HasPrecision(18, 8);
        builder.HasIndex(s => new { s.RunId, s.Sequence }).IsUnique();
        builder.HasIndex(s => new { s.RunId, s.CallId }).IsUnique().HasFilter("\"CallId\" IS NOT NULL");
        builder.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
