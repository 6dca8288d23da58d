using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// Keeps the rollups exact whoever changes a run: on every save it compares each tracked run's ended values before
/// and after, and adds the difference as <see cref="RunRollupDelta"/> rows to the same save (so a run and its
/// contribution commit or fail together). Only saves that end a run, or change one that had ended, write anything.
/// </summary>
internal sealed class RunRollupInterceptor(RollupSignal signal, EngineTelemetry telemetry) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AddDeltas(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AddDeltas(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Wake(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Withdraw(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Withdraw(eventData.Context);
        return Task.CompletedTask;
    }

    private void Wake(DbContext? context)
    {
        if (context is Persistence.AgentConsoleDbContext { PendingRollupDeltas: { } written } db)
        {
            db.PendingRollupDeltas = null;
            // Counted once, when the run's end commits (a later change to an ended run moves rollups, not counters).
            foreach (var ended in written.Where(d => d.Weight > 0 && d.FirstEnd))
            {
                telemetry.RunEnded(ended.Contribution);
            }

            signal.Notify();
        }
    }

    /// <summary>
    /// A failed save leaves its entries tracked; the deltas this save added are detached, so a caller that saves again
    /// gets them computed afresh instead of twice.
    /// </summary>
    private static void Withdraw(DbContext? context)
    {
        if (context is Persistence.AgentConsoleDbContext { PendingRollupDeltas: { } pending } db)
        {
            db.PendingRollupDeltas = null;
            foreach (var delta in pending)
            {
                db.Entry(delta).State = EntityState.Detached;
            }
        }
    }

    private static void AddDeltas(DbContext? context)
    {
        if (context is not Persistence.AgentConsoleDbContext db)
        {
            return;
        }

        // A retried save: the deltas of the failed attempt were detached, nothing is pending here.
        db.PendingRollupDeltas = null;

        var tracker = db.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        // Only the runs' entries are inspected: a full DetectChanges over everything tracked (steps, audit rows) on
        // every save was measurably expensive in the run path, and SaveChanges runs it once anyway.
        tracker.AutoDetectChangesEnabled = false;
        List<RunRollupDelta>? deltas = null;
        try
        {
            foreach (var entry in tracker.Entries<Run>())
            {
                // Evaluation, replay and trial runs never count in production figures (a run's kind never changes).
                if (!entry.Entity.IsProduction)
                {
                    continue;
                }

                if (entry.State is EntityState.Unchanged or EntityState.Modified)
                {
                    entry.DetectChanges();
                }

                var before = entry.State is EntityState.Modified or EntityState.Deleted ? Original(entry) : null;
                var after = entry.State is EntityState.Added or EntityState.Modified ? RunContribution.Of(entry.Entity) : null;
                if (before == after)
                {
                    continue;
                }

                deltas ??= [];
                if (before is { } withdrawn)
                {
                    deltas.Add(RunRollupDelta.From(withdrawn, -1));
                }

                if (after is { } added)
                {
                    var delta = RunRollupDelta.From(added, +1);
                    delta.FirstEnd = before is null;
                    deltas.Add(delta);
                }
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }

        if (deltas is not null)
        {
            db.RunRollupDeltas.AddRange(deltas);
            db.PendingRollupDeltas = deltas;
        }
    }

    private static RunContribution? Original(EntityEntry<Run> entry)
    {
        var o = entry.OriginalValues;
        return RunContribution.Of(
            o.GetValue<string>(nameof(Run.AgentKey)),
            o.GetValue<RunStatus>(nameof(Run.Status)),
            o.GetValue<DateTimeOffset?>(nameof(Run.CompletedAt)),
            o.GetValue<int>(nameof(Run.EscalationCount)),
            o.GetValue<bool>(nameof(Run.UsageEstimated)),
            o.GetValue<decimal>(nameof(Run.CostUsd)),
            o.GetValue<long>(nameof(Run.InputTokens)),
            o.GetValue<long>(nameof(Run.OutputTokens)),
            o.GetValue<long>(nameof(Run.ActiveMilliseconds)));
    }
}
