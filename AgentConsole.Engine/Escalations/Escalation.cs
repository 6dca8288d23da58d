using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Escalations;

public enum EscalationKind
{
    /// <summary>A decision output configured as an engine route (e.g. route = "Human review").</summary>
    Route,

    /// <summary>A bound decision failed or matched no rule for the input.</summary>
    Decision,

    /// <summary>The agent called the escalate tool.</summary>
    Agent,

    /// <summary>A tool call needs a person's approval before it runs.</summary>
    Approval,

    /// <summary>A step, budget or wall-clock limit stopped the run.</summary>
    Limit,

    /// <summary>A tool call kept failing past its retries, or failed in a way retrying cannot fix (credentials, configuration).</summary>
    ToolFailure,

    /// <summary>The model provider kept failing (rate limits, server errors, time-outs).</summary>
    ModelError,

    /// <summary>A tool call was in flight when its executor stopped; whether it took effect is unknown, so it was not repeated.</summary>
    Interrupted,
}

public enum EscalationStatus
{
    Open,
    Approved,
    Rejected,
    Cancelled,
}

public enum EscalationAction
{
    Approve,
    Reject,
    Cancel,
}

/// <summary>
/// A case handed to a person: what the agent did, what it saw and why it escalates. While it is open the run is
/// paused durably; resolving it resumes or ends the run.
/// </summary>
public sealed class Escalation
{
    private Escalation()
    {
    }

    public Guid Id { get; private set; }
    public Guid RunId { get; private set; }
    public string AgentKey { get; private set; } = "";
    public EscalationKind Kind { get; private set; }
    public EscalationStatus Status { get; private set; }

    /// <summary>One line: why the agent escalates.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>What the agent did before escalating (redacted).</summary>
    public string WhatItDid { get; private set; } = "";

    /// <summary>What the agent saw: input and decision results (redacted JSON).</summary>
    public string WhatItSaw { get; private set; } = "";

    /// <summary>For approvals: the tool and its arguments (redacted JSON).</summary>
    public string? ProposedAction { get; private set; }

    public RunLimit? Limit { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    public string? Comment { get; private set; }

    public static Escalation Raise(Run run, EscalationKind kind, string reason, string whatItDid, string whatItSaw, DateTimeOffset now,
        string? proposedAction = null, RunLimit? limit = null) => new()
        {
            Id = Guid.CreateVersion7(now),
            RunId = run.Id,
            AgentKey = run.AgentKey,
            Kind = kind,
            Status = EscalationStatus.Open,
            Reason = reason,
            WhatItDid = whatItDid,
            WhatItSaw = whatItSaw,
            ProposedAction = proposedAction,
            Limit = limit,
            CreatedAt = now,
        };

    /// <summary>A cancelled run leaves nothing for a reviewer to decide: its open escalations are closed as cancelled.</summary>
    internal static async Task CancelOpenAsync(Persistence.AgentConsoleDbContext db, Guid runId, string by, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var open in await db.Escalations.Where(e => e.RunId == runId && e.Status == EscalationStatus.Open).ToListAsync(ct))
        {
            open.Resolve(EscalationAction.Cancel, by, "The run was cancelled.", now);
        }
    }

    public void Resolve(EscalationAction action, string by, string? comment, DateTimeOffset now)
    {
        if (Status != EscalationStatus.Open)
        {
            throw new InvalidOperationException($"The escalation is already {Status.ToString().ToLowerInvariant()}.");
        }

        Status = action switch
        {
            EscalationAction.Approve => EscalationStatus.Approved,
            EscalationAction.Reject => EscalationStatus.Rejected,
            _ => EscalationStatus.Cancelled,
        };
        ResolvedBy = by;
        ResolvedAt = now;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
    }
}

internal sealed class EscalationConfiguration : IEntityTypeConfiguration<Escalation>
{
    public void Configure(EntityTypeBuilder<Escalation> builder)
    {
        builder.ToTable("Escalations");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.AgentKey).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Limit).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(2000).IsRequired();
        builder.Property(e => e.ResolvedBy).HasMaxLength(256);
        builder.Property(e => e.Comment).HasMaxLength(4000);
        builder.HasIndex(e => new { e.Status, e.CreatedAt });
        builder.HasIndex(e => e.RunId);
        builder.HasOne<Run>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
