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

    /// <summary>A guardrail rule blocked a tool call or the final output and its rule asks a person to decide.</summary>
    Guardrail,

    /// <summary>The agent reported a confidence below the threshold of the agent's escalation policy.</summary>
    LowConfidence,

    /// <summary>A tool call was in flight when its executor stopped; whether it took effect is unknown, so it was not repeated.</summary>
    Interrupted,
}

public enum EscalationStatus
{
    Open,
    Approved,
    Rejected,
    Cancelled,

    /// <summary>A reviewer sent the case back to the agent with guidance; the run carried on.</summary>
    Returned,

    /// <summary>A person handled the case themselves; the run ended as handled by a human.</summary>
    TakenOver,
}

/// <summary>Who closed an escalation: a reviewer, or the SLA job applying the policy's default action.</summary>
public enum EscalationResolvedVia
{
    Reviewer,
    Timeout,
}

/// <summary>
/// A case handed to a person: what the agent did, what it saw and why it escalates. While it is open the run is
/// paused durably; resolving it resumes or ends the run. <see cref="Version"/> is the optimistic concurrency token:
/// claims and decisions each move it, so two reviewers can never both act on the same state.
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

    /// <summary>What the agent saw: input, decision results and tool results (redacted JSON).</summary>
    public string WhatItSaw { get; private set; } = "";

    /// <summary>For approvals: the tool and its arguments (redacted JSON); for tool failures: the failure.</summary>
    public string? ProposedAction { get; private set; }

    public RunLimit? Limit { get; private set; }

    /// <summary>For route and decision escalations: the decision's allowed output values a reviewer may approve as (JSON).</summary>
    public string? ChoicesJson { get; private set; }

    /// <summary>The run's spend and steps when it escalated.</summary>
    public decimal CostSoFarUsd { get; private set; }

    public int StepsSoFar { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the policy's default action applies unless someone decides first (the SLA).</summary>
    public DateTimeOffset? DueAt { get; private set; }

    /// <summary>When reviewers are reminded that the SLA is running out.</summary>
    public DateTimeOffset? RemindAt { get; private set; }

    public DateTimeOffset? RemindedAt { get; private set; }

    /// <summary>The policy's default action, as it was when the case was raised (a later policy edit does not change it).</summary>
    public EscalationDefaultAction DefaultAction { get; private set; }

    /// <summary>How often the SLA ran out and the case was held for reviewers again.</summary>
    public int Holds { get; private set; }

    public string? ClaimedBy { get; private set; }
    public DateTimeOffset? ClaimedAt { get; private set; }
    public DateTimeOffset? ClaimExpiresAt { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    public EscalationResolvedVia? ResolvedVia { get; private set; }

    /// <summary>The action taken, e.g. edit-approve or take-over.</summary>
    public string? Resolution { get; private set; }

    public string? Comment { get; private set; }

    /// <summary>Arguments a reviewer edited before approving (redacted JSON).</summary>
    public string? EditedArguments { get; private set; }

    /// <summary>The allowed output value a reviewer approved a route or decision escalation as.</summary>
    public string? ChosenValue { get; private set; }

    public int Version { get; private set; }

    public bool IsOpen => Status == EscalationStatus.Open;

    public static Escalation Raise(Run run, EscalationKind kind, string reason, string whatItDid, string whatItSaw, DateTimeOffset now,
        string? proposedAction = null, RunLimit? limit = null, EscalationSla? sla = null, string? choicesJson = null) => new()
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
            ChoicesJson = choicesJson,
            CostSoFarUsd = run.CostUsd,
            StepsSoFar = run.ModelCalls,
            CreatedAt = now,
            DueAt = sla is null ? null : now + sla.Due,
            RemindAt = sla is null || sla.RemindBefore <= TimeSpan.Zero || sla.RemindBefore >= sla.Due ? null : now + sla.Due - sla.RemindBefore,
            DefaultAction = sla?.DefaultAction ?? EscalationDefaultAction.Hold,
        };

    /// <summary>A cancelled run leaves nothing for a reviewer to decide: its open escalations are closed as cancelled.</summary>
    internal static async Task CancelOpenAsync(Persistence.AgentConsoleDbContext db, Guid runId, string by, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var open in await db.Escalations.Where(e => e.RunId == runId && e.Status == EscalationStatus.Open).ToListAsync(ct))
        {
            open.Resolve(EscalationAction.Cancel, by, "The run was cancelled.", now);
        }
    }

    /// <summary>Whether someone other than <paramref name="actor"/> holds an unexpired claim.</summary>
    public bool IsClaimedByOther(string actor, DateTimeOffset now) =>
        ClaimedBy is not null && ClaimExpiresAt > now && !string.Equals(ClaimedBy, actor, StringComparison.OrdinalIgnoreCase);

    public void Claim(string actor, DateTimeOffset now, TimeSpan duration)
    {
        EnsureOpen();
        if (IsClaimedByOther(actor, now))
        {
            throw new InvalidOperationException($"{ClaimedBy} is working on this escalation.");
        }

        ClaimedBy = actor;
        ClaimedAt = now;
        ClaimExpiresAt = now + duration;
        Version++;
    }

    public void Release(string actor, DateTimeOffset now)
    {
        if (ClaimedBy is null || IsClaimedByOther(actor, now))
        {
            return;
        }

        ClaimedBy = null;
        ClaimedAt = null;
        ClaimExpiresAt = null;
        Version++;
    }

    /// <summary>The SLA ran out and the policy holds the case: reviewers get another SLA period (and another reminder).</summary>
    public void Hold(DateTimeOffset now, EscalationSla sla)
    {
        EnsureOpen();
        Holds++;
        DueAt = now + sla.Due;
        RemindAt = sla.RemindBefore <= TimeSpan.Zero || sla.RemindBefore >= sla.Due ? null : now + sla.Due - sla.RemindBefore;
        RemindedAt = null;
        Version++;
    }

    public void MarkReminded(DateTimeOffset now) => RemindedAt = now;

    public void Resolve(EscalationAction action, string by, string? comment, DateTimeOffset now,
        EscalationResolvedVia via = EscalationResolvedVia.Reviewer, string? editedArguments = null, string? chosenValue = null)
    {
        EnsureOpen();
        Status = action switch
        {
            EscalationAction.Approve or EscalationAction.EditApprove => EscalationStatus.Approved,
            EscalationAction.Reject => EscalationStatus.Rejected,
            EscalationAction.Return => EscalationStatus.Returned,
            EscalationAction.TakeOver => EscalationStatus.TakenOver,
            _ => EscalationStatus.Cancelled,
        };
        Resolution = EscalationActions.Name(action);
        ResolvedBy = by;
        ResolvedAt = now;
        ResolvedVia = via;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        EditedArguments = editedArguments;
        ChosenValue = chosenValue;
        ClaimExpiresAt = null;
        Version++;
    }

    private void EnsureOpen()
    {
        if (Status != EscalationStatus.Open)
        {
            throw new InvalidOperationException($"The escalation is already {Status.ToString().ToLowerInvariant()}.");
        }
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
        builder.Property(e => e.DefaultAction).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.ResolvedVia).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Resolution).HasMaxLength(16);
        builder.Property(e => e.ClaimedBy).HasMaxLength(256);
        builder.Property(e => e.ChosenValue).HasMaxLength(500);
        builder.Property(e => e.CostSoFarUsd).HasPrecision(18, 8);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasIndex(e => new { e.Status, e.CreatedAt });
        builder.HasIndex(e => new { e.Status, e.DueAt });
        builder.HasIndex(e => new { e.AgentKey, e.CreatedAt });
        builder.HasIndex(e => e.RunId);
        builder.HasOne<Run>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
