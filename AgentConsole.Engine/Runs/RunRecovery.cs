using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Finds unsettled runs nobody is executing and enqueues each once: runs whose lease lapsed, runs leased by a dead
/// instance (its heartbeat is stale, its row is gone, or it is an earlier process of this host) and queued runs
/// whose job was lost. A run it enqueued is marked, and not enqueued again while that job is pending (until an
/// executor claims it, or for <see cref="RunOptions.RequeueAfter"/>). Leases of live instances are never touched.
/// </summary>
public sealed partial class RunRecovery(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AgentRuns runs,
    EngineInstance instance,
    IOptions<RunOptions> options,
    TimeProvider time,
    ILogger<RunRecovery> logger)
{
    private const int Batch = 500;
    private const int MaxBatches = 20;

    /// <summary>
    /// Enqueues what is stranded; returns how many runs it enqueued. At start-up (<paramref name="startingUp"/>) the
    /// jobs the previous process of this host had fetched are lost with it, so unleased runs it last touched are
    /// enqueued at once instead of after <see cref="RunOptions.RequeueAfter"/>.
    /// </summary>
    public async Task<int> RecoverAsync(bool startingUp = false, DateTimeOffset? startedAt = null, CancellationToken ct = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var stale = now - settings.RequeueAfter;
        var seenAfter = now - settings.InstanceTimeout;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Alive: seen recently, and not an earlier process of this host (one process per host name).
        var live = await db.Set<EngineInstanceRecord>().AsNoTracking()
            .Where(i => i.LastSeenAt >= seenAfter && (i.Name != instance.Name || i.Id == instance.Id))
            .Select(i => i.Id)
            .ToListAsync(ct);
        // With other instances alive, an unleased queued run may be one of their pending jobs, not a lost one of this
        // host's: the start-up shortcut would enqueue it twice. Their lost jobs are found after RequeueAfter as usual.
        var alone = live.All(id => id == instance.Id);
        var unleasedBefore = startingUp && alone ? startedAt ?? now : stale;
        live.Add(instance.Id);

        var enqueued = 0;
        // Batches until nothing is left (a restart after a long outage may find thousands), bounded all the same.
        for (var round = 0; round < MaxBatches; round++)
        {
            var candidates = await db.Runs.AsNoTracking()
                .Where(r => (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)
                    && (r.RecoveryEnqueuedAt == null || r.RecoveryEnqueuedAt < stale)
                    && (r.LeaseOwner != null
                        ? r.LeaseExpiresAt < now || !live.Contains(r.LeaseOwner)
                        : r.UpdatedAt < unleasedBefore))
                .OrderBy(r => r.UpdatedAt)
                .Select(r => new { r.Id, r.LeaseOwner, r.LeaseId, r.Kind })
                .Take(Batch)
                .ToListAsync(ct);

            foreach (var run in candidates)
            {
                // One conditional UPDATE per run: it releases a dead owner's lease (its token no longer matches, so a
                // zombie executor could write nothing) and marks the run, so a second recovery does not enqueue it again.
                var dead = run.LeaseOwner is not null && !live.Contains(run.LeaseOwner);
                var pending = db.Runs.Where(r => r.Id == run.Id && r.LeaseId == run.LeaseId && (r.RecoveryEnqueuedAt == null || r.RecoveryEnqueuedAt < stale));
                var marked = dead
                    ? await pending.ExecuteUpdateAsync(s => s
                        .SetProperty(r => r.RecoveryEnqueuedAt, now)
                        .SetProperty(r => r.LeaseOwner, (string?)null)
                        .SetProperty(r => r.LeaseId, (Guid?)null)
                        .SetProperty(r => r.LeaseExpiresAt, (DateTimeOffset?)null), ct)
                    : await pending.ExecuteUpdateAsync(s => s.SetProperty(r => r.RecoveryEnqueuedAt, now), ct);
                if (marked == 1)
                {
                    runs.Enqueue(run.Id, run.Kind);
                    enqueued++;
                }
            }

            if (candidates.Count < Batch)
            {
                break;
            }
        }

        if (enqueued > 0)
        {
            LogRecovered(logger, enqueued, startingUp);
        }

        return enqueued;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run recovery enqueued {Count} stranded run(s) (at start-up: {StartingUp})")]
    private static partial void LogRecovered(ILogger logger, int count, bool startingUp);
}
