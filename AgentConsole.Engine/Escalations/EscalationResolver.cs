using System.Text.Json;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Runs.Redaction;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// A person's decision on an escalation, applied to its paused run: approve resumes it (running an approved tool,
/// granting a stopped run a new allowance, or passing the reviewer's note to the agent), reject declines (the tool
/// is not run, the model hears why; other escalations end the run), cancel ends the run.
/// </summary>
public sealed class EscalationResolver(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AgentRuns runs,
    AuditLog audit,
    RunNotifications notifications,
    Redactors redactors,
    TimeProvider time)
{
    public async Task<Escalation?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Escalations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
    }

    public async Task<RunCommandResult> ResolveAsync(Guid escalationId, EscalationAction action, string? comment, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var escalation = await db.Escalations.SingleOrDefaultAsync(e => e.Id == escalationId, ct);
        if (escalation is null)
        {
            return RunCommandResult.NotFound($"No escalation {escalationId}.");
        }

        if (escalation.Status != EscalationStatus.Open)
        {
            return RunCommandResult.Conflict($"The escalation was already resolved ({escalation.Status.ToString().ToLowerInvariant()} by {escalation.ResolvedBy}).", escalation.RunId);
        }

        var run = await db.Runs.SingleAsync(r => r.Id == escalation.RunId, ct);
        if (run.Status is not (RunStatus.WaitingForHuman or RunStatus.StoppedByLimit))
        {
            return RunCommandResult.Conflict($"The run is {AgentRuns.Describe(run.Status)}, not waiting for a decision.", run.Id);
        }

        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == run.AgentKey, ct);
        var now = time.GetUtcNow();
        var redaction = RunRedaction.Load(redactors, run, agent?.RedactionPatterns, actor);
        // The agent gets the reviewer's words as written (its model calls are redacted on the way out); everything
        // stored about the run (comment, reason, step, audit) holds the redacted form.
        var note = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        var storedNote = redaction.Text(note);
        escalation.Resolve(action, actor, storedNote, now);
        var conversation = RunSession.ReadConversation(run.ConversationJson);
        var resume = false;
        string outcome;
        switch (action, escalation.Kind)
        {
            case (EscalationAction.Cancel, _):
                run.Cancel($"Cancelled by {actor} while resolving the escalation.", now);
                outcome = "cancelled the run";
                break;
            case (_, EscalationKind.Approval):
            {
                var approved = action == EscalationAction.Approve;
                var requests = conversation.LastOrDefault(m => m.Role == ChatRole.Assistant)?.Contents.OfType<ToolApprovalRequestContent>().ToList() ?? [];
                conversation.Add(new ChatMessage(ChatRole.User, [.. requests.Select(r => (AIContent)r.CreateResponse(approved, note ?? (approved ? null : "A reviewer rejected this action.")))]));
                resume = true;
                outcome = approved ? "approved the action" : "rejected the action";
                break;
            }

            case (EscalationAction.Approve, EscalationKind.Limit):
                run.Resume(now, agent?.MaxSteps ?? 0, agent?.BudgetPerRunUsd ?? 0, agent?.WallClockLimitSeconds ?? 0);
                outcome = "granted the run its limits once more";
                resume = true;
                break;
            case (EscalationAction.Reject, EscalationKind.Limit):
                outcome = "left the run stopped";
                break;
            case (EscalationAction.Approve, EscalationKind.ModelError):
                outcome = "retried the model call";
                resume = true;
                break;
            case (EscalationAction.Approve, _):
                conversation.Add(new ChatMessage(ChatRole.User, $"Reviewer guidance:\n{note ?? "Approved: carry on with the common path."}"));
                outcome = "approved; the agent carries on";
                resume = true;
                break;
            default:
                run.Cancel($"Rejected by {actor}{(storedNote is null ? "" : $": {storedNote}")}.", now);
                outcome = "rejected; the run ends";
                break;
        }

        if (resume && run.Status != RunStatus.Running)
        {
            run.Resume(now);
        }

        // The vault may have issued placeholders for the note: saved with the run, so later steps reuse them.
        run.Checkpoint(JsonSerializer.Serialize(conversation, AIJsonUtilities.DefaultOptions), redaction.Vault.ToJson(), now);
        await RunStep.AppendAsync(db, redaction, run.Id, now, RunStepKind.Human, $"{actor} {outcome}{(note is null ? "" : $": {note}")}",
            new { escalationId = escalation.Id, action = action.ToString(), comment = note }, ct: ct);
        audit.Record(db, redaction.Audit(new AuditEntry(AuditCategory.Human, "escalation.resolved", AuditActor.Parse(actor),
            $"{escalation.Kind} escalation {action.ToString().ToLowerInvariant()}d: {outcome}",
            new { escalationId = escalation.Id, kind = escalation.Kind.ToString(), action = action.ToString(), comment = note }, run.AgentKey, run.Id.ToString())));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RunCommandResult.Conflict("The run changed while the escalation was being resolved; reload and try again.", run.Id);
        }

        if (resume)
        {
            runs.Enqueue(run.Id);
        }

        notifications.Publish(new RunUpdated(run.Id, run.AgentKey, run.Status));
        return new RunCommandResult(RunCommandOutcome.Done, run.Id, outcome);
    }
}
