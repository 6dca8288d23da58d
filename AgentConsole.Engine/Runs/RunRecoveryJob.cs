using Hangfire;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Nothing hangs in Running: every minute, runs whose executor died (lease lapsed) and runs whose job was lost
/// (queued or resumed long ago, not leased) are enqueued again; they resume from their checkpoint.
/// </summary>
public sealed class RunRecoveryJob(IDbContextFactory<AgentConsoleDbContext> dbFactory, AgentRuns runs, IOptions<RunOptions> options, TimeProvider time)
{
    public const string RecurringId = "run-recovery";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var stale = now - options.Value.RequeueAfter;
        var ids = await db.Runs.AsNoTracking()
            .Where(r => ((r.Status == RunStatus.Running || r.Status == RunStatus.Queued) && r.LeaseOwner != null && r.LeaseExpiresAt < now)
                || ((r.Status == RunStatus.Queued || r.Status == RunStatus.Running) && r.LeaseOwner == null && r.UpdatedAt < stale))
            .OrderBy(r => r.UpdatedAt)
            .Select(r => r.Id)
            .Take(500)
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            runs.Enqueue(id);
        }

        return ids.Count;
    }
}
