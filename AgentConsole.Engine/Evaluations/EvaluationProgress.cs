using System.Text.Json;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Records each case's outcome and the evaluation's counters, once per case however often its job runs (the case moves
/// from Pending exactly once, in the same transaction as the counters, which move by increments in SQL so cases finishing
/// at once never lose a count), completes the evaluation with its last case, and tells open pages through the feed.
/// Test-set cases and replay cases are recorded alike.
/// </summary>
public sealed class EvaluationProgress(IDbContextFactory<AgentConsoleDbContext> dbFactory, EvaluationFeed feed, TimeProvider time)
{
    public async Task StartedAsync(Guid evaluationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        if (await db.Evaluations.Where(e => e.Id == evaluationId && e.Status == EvaluationStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EvaluationStatus.Running).SetProperty(e => e.StartedAt, now), ct) > 0)
        {
            await PublishAsync(db, evaluationId, ct);
        }
    }

    /// <summary>Records a case's verdict; false when it had been recorded already (a job that ran twice).</summary>
    public async Task<bool> RecordAsync(Guid caseId, CaseVerdict verdict, IReadOnlyList<string> reasons, string? diffJson, bool escalated, decimal costUsd,
        CancellationToken ct)
    {
        if (verdict == CaseVerdict.Pending)
        {
            throw new ArgumentException("A recorded verdict is never Pending.", nameof(verdict));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var reasonsJson = reasons.Count == 0 ? null : JsonSerializer.Serialize(reasons);
        var moved = await db.EvaluationCases.Where(c => c.Id == caseId && c.Verdict == CaseVerdict.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Verdict, verdict)
                .SetProperty(c => c.ReasonsJson, reasonsJson)
                .SetProperty(c => c.DiffJson, diffJson)
                .SetProperty(c => c.Escalated, escalated)
                .SetProperty(c => c.CostUsd, costUsd)
                .SetProperty(c => c.CompletedAt, now), ct);
        if (moved == 0)
        {
            return false;
        }

        var evaluationId = await db.EvaluationCases.Where(c => c.Id == caseId).Select(c => c.EvaluationId).SingleAsync(ct);
        int passed = verdict == CaseVerdict.Passed ? 1 : 0, failed = verdict == CaseVerdict.Failed ? 1 : 0, errors = verdict == CaseVerdict.Error ? 1 : 0;
        var escalations = escalated ? 1 : 0;
        await db.Evaluations.Where(e => e.Id == evaluationId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Completed, e => e.Completed + 1)
                .SetProperty(e => e.Passed, e => e.Passed + passed)
                .SetProperty(e => e.Failed, e => e.Failed + failed)
                .SetProperty(e => e.Errors, e => e.Errors + errors)
                .SetProperty(e => e.Escalated, e => e.Escalated + escalations)
                .SetProperty(e => e.CostUsd, e => e.CostUsd + costUsd), ct);
        await db.Evaluations.Where(e => e.Id == evaluationId && e.Completed >= e.Total && e.Status != EvaluationStatus.Completed)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EvaluationStatus.Completed).SetProperty(e => e.CompletedAt, now), ct);
        await tx.CommitAsync(ct);
        await PublishAsync(db, evaluationId, ct);
        return true;
    }

    private async Task PublishAsync(AgentConsoleDbContext db, Guid evaluationId, CancellationToken ct)
    {
        var current = await db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == evaluationId, ct);
        feed.Publish(new EvaluationProgressed(current.Id, current.AgentKey, current.Status, current.Completed, current.Total));
    }
}
