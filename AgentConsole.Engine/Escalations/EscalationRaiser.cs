using System.Text;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// Hands a paused run to a person: builds the escalation with its context (what the agent did, what it saw — input,
/// decision results and tool results, all redacted — why, the proposed action, the cost so far), stamps the SLA of the
/// agent's policy, and queues the reviewers' notifications in the run's transaction. The executor saves, then calls
/// <see cref="Raised"/>. Whether a condition escalates at all is the policy's (<see cref="Escalates"/>).
/// </summary>
public sealed class EscalationRaiser(EscalationAnnouncer announcer, Monitoring.EngineTelemetry telemetry, TimeProvider time)
{
    public const int MaxToolResults = 20;

    /// <summary>Whether the agent's policy hands this kind of case to a person; otherwise the run fails with the reason.</summary>
    public static bool Escalates(EscalationPolicy? policy, EscalationKind kind) => policy is null || kind switch
    {
        EscalationKind.ToolFailure => policy.EscalateToolFailures,
        EscalationKind.Limit => policy.EscalateLimits,
        EscalationKind.Guardrail => policy.EscalateGuardrailViolations,
        _ => true,
    };

    /// <summary>A kind of case in the words of the policy editor.</summary>
    public static string Describe(EscalationKind kind) => kind switch
    {
        EscalationKind.ToolFailure => "persistent tool failures",
        EscalationKind.Limit => "step, budget and time limits",
        EscalationKind.Guardrail => "guardrail violations",
        EscalationKind.LowConfidence => "low-confidence answers",
        EscalationKind.Approval => "approval-required tool calls",
        EscalationKind.Route => "decision route values",
        EscalationKind.Decision => "decisions that could not decide",
        EscalationKind.Agent => "the agent's own requests",
        EscalationKind.ModelError => "model provider failures",
        _ => "interrupted tool calls",
    };

    internal async Task<Escalation> RaiseAsync(RunSession session, EscalationKind kind, string reason, string? proposed, string? summary, RunLimit? limit,
        EscalationChoices? choices, CancellationToken ct)
    {
        var run = session.Run;
        var steps = await session.Db.RunSteps.AsNoTracking().Where(s => s.RunId == run.Id).OrderBy(s => s.Sequence).ToListAsync(ct);
        steps.AddRange(session.Db.ChangeTracker.Entries<RunStep>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).OrderBy(s => s.Sequence));
        var did = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(summary))
        {
            did.AppendLine(session.Redact(summary));
        }

        foreach (var title in steps.Select(s => s.Title).Where(t => !t.StartsWith("Run ", StringComparison.Ordinal)))
        {
            did.Append("- ").AppendLine(title);
        }

        // Step details are stored redacted already; the tool results are what the agent saw beyond its input.
        var toolResults = new JsonArray();
        foreach (var step in steps.Where(s => s.Kind == RunStepKind.ToolCall && s.DetailJson is not null).TakeLast(MaxToolResults))
        {
            toolResults.Add(new JsonObject { ["tool"] = step.ToolName, ["title"] = step.Title, ["failed"] = step.IsError, ["detail"] = JsonNode.Parse(step.DetailJson!) });
        }

        var saw = new JsonObject
        {
            ["input"] = session.Redact(JsonNode.Parse(run.InputJson)),
            ["facts"] = session.Redact(run.FactsJson is null ? null : JsonNode.Parse(run.FactsJson)),
            ["toolResults"] = toolResults,
        };
        var policy = session.Agent.Escalation ?? new EscalationPolicy();
        var now = time.GetUtcNow();
        var escalation = Escalation.Raise(run, kind, session.Redact(reason), did.ToString().TrimEnd(), saw.ToJsonString(), now, proposed, limit,
            EscalationSla.From(policy), choices?.ToJson());
        session.Db.Escalations.Add(escalation);
        session.AddStep(RunStepKind.Escalation, $"Escalated: {escalation.Reason}",
            new { escalationId = escalation.Id, kind = kind.ToString(), reason = escalation.Reason, proposedAction = proposed, dueAt = escalation.DueAt });
        session.Audit(AuditCategory.Escalation, "escalation.raised", $"{kind} escalation: {escalation.Reason}",
            new { escalationId = escalation.Id, kind = kind.ToString(), reason = escalation.Reason, dueAt = escalation.DueAt, defaultAction = escalation.DefaultAction.ToString() });
        if (limit is { } hit)
        {
            run.StopByLimit(hit, session.Redact(reason), now);
        }
        else
        {
            run.WaitForHuman(escalation.Reason, now);
        }

        await announcer.NotifyAsync(session.Db, escalation, run.AgentName, policy, EscalationChange.Raised, null, ct);
        return escalation;
    }

    /// <summary>
    /// A non-production run (evaluation, replay, "Try it") reached the point where a production run would hand the case to
    /// a person: the run stops there, on its timeline and in the audit log, and nothing is queued or notified.
    /// </summary>
    internal void StopWithoutReviewer(RunSession session, EscalationKind kind, string reason, string? proposed, RunLimit? limit)
    {
        var run = session.Run;
        var now = time.GetUtcNow();
        var redacted = session.Redact(reason);
        session.AddStep(RunStepKind.Escalation, $"Would escalate: {redacted}",
            new { kind = kind.ToString(), reason = redacted, proposedAction = proposed, runKind = run.Kind.ToString(), queued = false });
        session.Audit(AuditCategory.Escalation, "escalation.simulated", $"{run.Kind} run stopped where a person would decide ({kind}): {redacted}",
            new { kind = kind.ToString(), reason = redacted, runKind = run.Kind.ToString() });
        if (limit is { } hit)
        {
            run.StopByLimit(hit, redacted, now);
        }
        else
        {
            run.WaitForHuman(redacted, now);
        }
    }

    /// <summary>After the save: schedules the SLA and tells open queue pages.</summary>
    public void Raised(Escalation escalation)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        telemetry.EscalationRaised(escalation.AgentKey, escalation.Kind.ToString());
        announcer.Raised(escalation);
    }
}
