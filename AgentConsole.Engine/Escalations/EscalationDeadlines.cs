using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// The SLA of open escalations: reminds reviewers before the due time and, when it passes with nobody deciding,
/// applies the default action the policy had when the case was raised. Every method is idempotent (a resolved case,
/// or one whose due time a hold moved on, is left alone), so a delayed job and the sweep may both fire.
/// </summary>
public sealed partial class EscalationDeadlines(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    EscalationResolver resolver,
    EscalationAnnouncer announcer,
    AuditLog audit,
    IOptions<RunOptions> runOptions,
    TimeProvider time,
    ILogger<EscalationDeadlines> logger)
{
    public const int SweepBatch = 100;

    /// <summary>Applies the default action if the escalation is open and due; returns what was done, or null.</summary>
    public async Task<string?> ExpireAsync(Guid escalationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var escalation = await db.Escalations.SingleOrDefaultAsync(e => e.Id == escalationId, ct);
        var now = time.GetUtcNow();
        if (escalation is not { IsOpen: true, DueAt: { } due } || due > now)
        {
            return null;
        }

        var action = escalation.DefaultAction switch
        {
            EscalationDefaultAction.Reject => EscalationAction.Reject,
            EscalationDefaultAction.CancelRun => EscalationAction.Cancel,
            EscalationDefaultAction.ApproveIfReversible when escalation.Kind == EscalationKind.Approval && SafeToApprove(escalation.ProposedAction) => EscalationAction.Approve,
            _ => (EscalationAction?)null,
        };
        if (action is { } act)
        {
            var result = await resolver.ResolveAsync(escalationId, new EscalationDecision(act,
                $"Nobody decided within the SLA; the escalation policy's default action ({escalation.DefaultAction}) applied."), EscalationReviewer.Sla, ct);
            if (result.Outcome != RunCommandOutcome.Done)
            {
                LogDefaultActionRefused(logger, escalationId, result.Message);
                return null;
            }

            LogDefaultApplied(logger, escalationId, escalation.DefaultAction);
            return result.Message;
        }

        // Hold (or an approval that is not safe to approve unattended): reviewers get another SLA period.
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == escalation.AgentKey, ct);
        var policy = agent?.Escalation ?? new EscalationPolicy();
        escalation.Hold(now, EscalationSla.From(policy));
        var why = escalation.DefaultAction == EscalationDefaultAction.Hold
            ? "held for reviewers"
            : "held for reviewers: the held action is not reversible within the approval threshold, so it is never approved unattended";
        await announcer.NotifyAsync(db, escalation, agent?.Name ?? escalation.AgentKey, policy, EscalationChange.Held, why, ct);
        audit.Record(db, new AuditEntry(AuditCategory.Escalation, "escalation.held", AuditActor.System,
            $"{escalation.Kind} escalation overdue; {why} until {escalation.DueAt:yyyy-MM-dd HH:mm} UTC",
            new { escalationId = escalation.Id, holds = escalation.Holds, dueAt = escalation.DueAt }, escalation.AgentKey, escalation.RunId.ToString()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A reviewer claimed or decided meanwhile: their action wins.
            return null;
        }

        announcer.Schedule(escalation);
        announcer.Changed(escalation, EscalationChange.Held);
        return why;
    }

    /// <summary>Marks the reminder sent (and notifies) if the escalation is open and its reminder time has come.</summary>
    public async Task<bool> RemindAsync(Guid escalationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var escalation = await db.Escalations.SingleOrDefaultAsync(e => e.Id == escalationId, ct);
        var now = time.GetUtcNow();
        if (escalation is not { IsOpen: true, RemindAt: { } remindAt, RemindedAt: null } || remindAt > now)
        {
            return false;
        }

        escalation.MarkReminded(now);
        var agent = await db.Agents.AsNoTracking().Where(a => a.Key == escalation.AgentKey).Select(a => new { a.Name, a.Escalation }).FirstOrDefaultAsync(ct);
        await announcer.NotifyAsync(db, escalation, agent?.Name ?? escalation.AgentKey, agent?.Escalation ?? new EscalationPolicy(), EscalationChange.Reminded, null, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        announcer.Changed(escalation, EscalationChange.Reminded);
        return true;
    }

    /// <summary>The backstop: every open escalation past its reminder or due time, in case a delayed job was lost.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        List<Guid> due, remind;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var open = db.Escalations.AsNoTracking().Where(e => e.Status == EscalationStatus.Open);
            due = await open.Where(e => e.DueAt != null && e.DueAt <= now).OrderBy(e => e.DueAt).Select(e => e.Id).Take(SweepBatch).ToListAsync(ct);
            remind = await open.Where(e => e.RemindAt != null && e.RemindedAt == null && e.RemindAt <= now).Select(e => e.Id).Take(SweepBatch).ToListAsync(ct);
        }

        var done = 0;
        foreach (var id in remind.Except(due))
        {
            done += await RemindAsync(id, ct) ? 1 : 0;
        }

        foreach (var id in due)
        {
            try
            {
                done += await ExpireAsync(id, ct) is null ? 0 : 1;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One broken case must not keep the others past their SLA.
                LogExpireFailed(logger, id, ex);
            }
        }

        return done;
    }

    private bool SafeToApprove(string? proposedJson)
    {
        try
        {
            var proposed = proposedJson is null ? null : JsonNode.Parse(proposedJson);
            var reversible = proposed?["reversible"]?.GetValue<bool>() == true;
            var cost = proposed?["costToUndoUsd"]?.GetValue<decimal>() ?? decimal.MaxValue;
            return reversible && cost <= runOptions.Value.ApprovalThresholdUsd;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation {EscalationId} overdue: default action {Action} applied")]
    private static partial void LogDefaultApplied(ILogger logger, Guid escalationId, EscalationDefaultAction action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation {EscalationId} overdue, but its default action was refused: {Reason}")]
    private static partial void LogDefaultActionRefused(ILogger logger, Guid escalationId, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying the SLA of escalation {EscalationId} failed")]
    private static partial void LogExpireFailed(ILogger logger, Guid escalationId, Exception ex);
}
