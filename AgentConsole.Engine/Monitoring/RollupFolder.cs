using AgentConsole.Engine.Cluster;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// Folds <see cref="RunRollupDelta"/> rows into the hourly <see cref="RunRollup"/> and <see cref="RunDurationRollup"/>
/// rows and the daily <see cref="RunDurationDay"/> rows, and rebuilds all of them from the runs. The folder is the only writer of rollup rows, and it deletes exactly
/// the deltas it read (by id, never by range), so a delta that commits late is folded by the next pass, never lost.
/// </summary>
public sealed partial class RollupFolder(IDbContextFactory<AgentConsoleDbContext> dbFactory, ILogger<RollupFolder> logger) : IDisposable
{
    private const int Batch = 5_000;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Folds every pending delta; returns how many were folded.</summary>
    public async Task<int> FoldAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var total = 0;
            while (true)
            {
                var folded = await FoldBatchAsync(ct);
                total += folded;
                if (folded < Batch)
                {
                    return total;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> FoldBatchAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Several instances fold on PostgreSQL: one at a time, and the deltas are read under the lock, so a second
        // folder never adds what the first has just folded and deleted. On SQLite the write transaction follows the read.
        await using var clusterTx = db.Database.IsPostgres() ? await db.Database.BeginTransactionAsync(ct) : null;
        if (clusterTx is not null && !await ClusterLock.TryTakeForTransactionAsync(db, ClusterLock.RollupFold, ct))
        {
            return 0;
        }

        var deltas = await db.RunRollupDeltas.AsNoTracking().OrderBy(d => d.Id).Take(Batch).ToListAsync(ct);
        if (deltas.Count == 0)
        {
            return 0;
        }

        await using var sqliteTx = clusterTx is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var hours = deltas.Select(d => d.HourStart).Distinct().ToList();
        var agents = deltas.Select(d => d.AgentKey).Distinct().ToList();
        var rollups = await db.RunRollups.Where(r => hours.Contains(r.HourStart) && agents.Contains(r.AgentKey))
            .ToDictionaryAsync(r => (r.AgentKey, r.HourStart), ct);
        var buckets = await db.RunDurationRollups.Where(r => hours.Contains(r.HourStart) && agents.Contains(r.AgentKey))
            .ToDictionaryAsync(r => (r.AgentKey, r.HourStart, r.Bucket), ct);
        var days = hours.Select(RunContribution.DayOf).Distinct().ToList();
        var dayBuckets = await db.RunDurationDays.Where(r => days.Contains(r.DayStart) && agents.Contains(r.AgentKey))
            .ToDictionaryAsync(r => (r.AgentKey, r.DayStart, r.Bucket), ct);
        foreach (var delta in deltas)
        {
            var c = delta.Contribution;
            if (!rollups.TryGetValue((c.AgentKey, c.HourStart), out var rollup))
            {
                rollup = new RunRollup { AgentKey = c.AgentKey, HourStart = c.HourStart };
                rollups.Add((c.AgentKey, c.HourStart), rollup);
                db.RunRollups.Add(rollup);
            }

            rollup.Add(c, delta.Weight);
            if (!buckets.TryGetValue((c.AgentKey, c.HourStart, c.Bucket), out var bucket))
            {
                bucket = new RunDurationRollup { AgentKey = c.AgentKey, HourStart = c.HourStart, Bucket = c.Bucket };
                buckets.Add((c.AgentKey, c.HourStart, c.Bucket), bucket);
                db.RunDurationRollups.Add(bucket);
            }

            bucket.Count += delta.Weight;
            if (!dayBuckets.TryGetValue((c.AgentKey, c.DayStart, c.Bucket), out var dayBucket))
            {
                dayBucket = new RunDurationDay { AgentKey = c.AgentKey, DayStart = c.DayStart, Bucket = c.Bucket };
                dayBuckets.Add((c.AgentKey, c.DayStart, c.Bucket), dayBucket);
                db.RunDurationDays.Add(dayBucket);
            }

            dayBucket.Count += delta.Weight;
        }

        // Rows a withdrawal emptied go away, so a rollup never holds hours with nothing in them.
        foreach (var empty in rollups.Values.Where(r => r.IsEmpty))
        {
            db.Remove(empty);
        }

        foreach (var empty in buckets.Values.Where(b => b.Count == 0))
        {
            db.Remove(empty);
        }

        foreach (var empty in dayBuckets.Values.Where(b => b.Count == 0))
        {
            db.Remove(empty);
        }

        await db.SaveChangesAsync(ct);
        foreach (var chunk in deltas.Select(d => d.Id).Chunk(500))
        {
            await db.RunRollupDeltas.Where(d => chunk.Contains(d.Id)).ExecuteDeleteAsync(ct);
        }

        await (clusterTx ?? sqliteTx!).CommitAsync(ct);
        LogFolded(logger, deltas.Count);
        return deltas.Count;
    }

    /// <summary>
    /// Recomputes every rollup from the runs in one transaction (pending deltas are dropped: the runs already hold what
    /// they said). On SQLite the transaction holds the write lock, so runs ending meanwhile wait for it rather than
    /// being counted twice or not at all. Returns the number of ended runs counted.
    /// </summary>
    public async Task<int> RebuildAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Another instance rebuilding (or folding) right now: its result stands, this one is not needed.
            if (!await ClusterLock.TryTakeForTransactionAsync(db, ClusterLock.RollupFold, ct))
            {
                return 0;
            }

            // Take the write lock first, so the runs read below are the runs the rollups will describe.
            await db.RunRollupDeltas.ExecuteDeleteAsync(ct);
            await db.RunRollups.ExecuteDeleteAsync(ct);
            await db.RunDurationRollups.ExecuteDeleteAsync(ct);
            await db.RunDurationDays.ExecuteDeleteAsync(ct);

            var rollups = new Dictionary<(string, DateTimeOffset), RunRollup>();
            var buckets = new Dictionary<(string, DateTimeOffset, int), RunDurationRollup>();
            var dayBuckets = new Dictionary<(string, DateTimeOffset, int), RunDurationDay>();
            var counted = 0;
            var rows = db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production).Where(r => RunContribution.EndedStatuses.Contains(r.Status))
                .Select(r => new { r.AgentKey, r.Status, r.CompletedAt, r.EscalationCount, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens, r.ActiveMilliseconds })
                .AsAsyncEnumerable();
            await foreach (var r in rows.WithCancellation(ct))
            {
                if (RunContribution.Of(r.AgentKey, r.Status, r.CompletedAt, r.EscalationCount, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens, r.ActiveMilliseconds) is not { } c)
                {
                    continue;
                }

                counted++;
                if (!rollups.TryGetValue((c.AgentKey, c.HourStart), out var rollup))
                {
                    rollups.Add((c.AgentKey, c.HourStart), rollup = new RunRollup { AgentKey = c.AgentKey, HourStart = c.HourStart });
                }

                rollup.Add(c, 1);
                if (!buckets.TryGetValue((c.AgentKey, c.HourStart, c.Bucket), out var bucket))
                {
                    buckets.Add((c.AgentKey, c.HourStart, c.Bucket), bucket = new RunDurationRollup { AgentKey = c.AgentKey, HourStart = c.HourStart, Bucket = c.Bucket });
                }

                bucket.Count++;
                if (!dayBuckets.TryGetValue((c.AgentKey, c.DayStart, c.Bucket), out var dayBucket))
                {
                    dayBuckets.Add((c.AgentKey, c.DayStart, c.Bucket), dayBucket = new RunDurationDay { AgentKey = c.AgentKey, DayStart = c.DayStart, Bucket = c.Bucket });
                }

                dayBucket.Count++;
            }

            db.RunRollups.AddRange(rollups.Values);
            db.RunDurationRollups.AddRange(buckets.Values);
            db.RunDurationDays.AddRange(dayBuckets.Values);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            LogRebuilt(logger, counted, rollups.Count);
            return counted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when runs have ended but no rollup or delta exists: a database from before rollups, or one restored without them.</summary>
    public async Task<bool> NeedsRebuildAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.RunRollups.AnyAsync(ct) || await db.RunRollupDeltas.AnyAsync(ct))
        {
            return false;
        }

        return await db.Runs.AnyAsync(r => r.CompletedAt != null && r.Kind == RunKind.Production, ct);
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Folded {Count} run rollup deltas")]
    private static partial void LogFolded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt the run rollups from {Runs} ended runs ({Rows} agent-hours)")]
    private static partial void LogRebuilt(ILogger logger, int runs, int rows);
}
