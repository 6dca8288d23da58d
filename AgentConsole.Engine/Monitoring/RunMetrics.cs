using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// The dashboard's and the metrics API's figures, read from the hourly rollups plus the deltas not folded yet plus the
/// runs that have not ended — never from every run, so a load costs the same at a thousand runs or a million.
/// </summary>
public sealed class RunMetrics(IDbContextFactory<AgentConsoleDbContext> dbFactory, IOptions<MonitoringOptions> options, TimeProvider time)
{
    private static readonly RunStatus[] Unfinished = [RunStatus.Queued, RunStatus.Running, RunStatus.WaitingForHuman, RunStatus.StoppedByLimit];

    public TimeZoneInfo Zone => options.Value.Zone();

    public async Task<MetricsSummary> SummarizeAsync(MetricsQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var loaded = await LoadAsync(new MetricsWindow(query.From, query.To, Zone), query.AgentKey, ct);
        return loaded.Total.ToSummary(query.From, query.To, query.AgentKey);
    }

    public Task<DashboardData> DashboardAsync(DashboardPeriod period, string? agentKey = null, CancellationToken ct = default) =>
        DashboardAsync(MetricsWindow.For(period, time.GetUtcNow(), Zone), agentKey, ct);

    public async Task<DashboardData> DashboardAsync(MetricsWindow window, string? agentKey = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var loaded = await LoadAsync(window, agentKey, ct);
        return loaded.ToDashboard(window, agentKey, time.GetUtcNow());
    }

    private async Task<MetricsLoad> LoadAsync(MetricsWindow window, string? agentKey, CancellationToken ct)
    {
        var from = RunContribution.HourOf(window.From);
        var to = window.To;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One snapshot: a fold between reading the rollups and reading the deltas would count its runs twice or not at all.
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var load = new MetricsLoad(window);

        var rollups = await db.RunRollups.AsNoTracking()
            .Where(r => r.HourStart >= from && r.HourStart < to && (agentKey == null || r.AgentKey == agentKey))
            .ToListAsync(ct);
        foreach (var rollup in rollups)
        {
            load.For(rollup.AgentKey, rollup.HourStart, t => t.Add(rollup));
        }

        // Durations: the hour holding `to` is in. Whole UTC days inside the window read the daily histogram; only the hours
        // at either edge read the hourly one (at a million runs a month of hourly bucket rows is several hundred thousand).
        var endHour = RunContribution.HourOf(to) == to ? to : RunContribution.HourOf(to).AddHours(1);
        var dayLo = RunContribution.DayOf(from) == from ? from : RunContribution.DayOf(from).AddDays(1);
        var dayHi = RunContribution.DayOf(endHour);
        // Days per local day need UTC days; the hourly series of a short window needs hours.
        var useDays = dayHi > dayLo && window.Hours().Count == 0 && window.Zone.BaseUtcOffset == TimeSpan.Zero && !window.Zone.SupportsDaylightSavingTime;
        if (!useDays)
        {
            dayLo = dayHi = endHour;
        }

        var edgeHours = db.RunDurationRollups.AsNoTracking()
            .Where(r => ((r.HourStart >= from && r.HourStart < dayLo) || (r.HourStart >= dayHi && r.HourStart < endHour)) && (agentKey == null || r.AgentKey == agentKey));
        var wholeDays = db.RunDurationDays.AsNoTracking()
            .Where(r => r.DayStart >= dayLo && r.DayStart < dayHi && (agentKey == null || r.AgentKey == agentKey));

        var byAgent = await edgeHours.GroupBy(r => new { r.AgentKey, r.Bucket })
            .Select(g => new { g.Key.AgentKey, g.Key.Bucket, Count = g.Sum(r => (long)r.Count) })
            .ToListAsync(ct);
        if (useDays)
        {
            byAgent.AddRange(await wholeDays.GroupBy(r => new { r.AgentKey, r.Bucket })
                .Select(g => new { g.Key.AgentKey, g.Key.Bucket, Count = g.Sum(r => (long)r.Count) })
                .ToListAsync(ct));
        }

        foreach (var b in byAgent)
        {
            load.Total.AddBucket(b.Bucket, b.Count);
            load.Agent(b.AgentKey).AddBucket(b.Bucket, b.Count);
        }

        var byHour = await edgeHours.GroupBy(r => new { r.HourStart, r.Bucket })
            .Select(g => new { g.Key.HourStart, g.Key.Bucket, Count = g.Sum(r => (long)r.Count) })
            .ToListAsync(ct);
        foreach (var b in byHour)
        {
            load.Day(b.HourStart).AddBucket(b.Bucket, b.Count);
            load.Hour(b.HourStart).AddBucket(b.Bucket, b.Count);
        }

        if (useDays)
        {
            var byDay = await wholeDays.GroupBy(r => new { r.DayStart, r.Bucket })
                .Select(g => new { g.Key.DayStart, g.Key.Bucket, Count = g.Sum(r => (long)r.Count) })
                .ToListAsync(ct);
            foreach (var b in byDay)
            {
                load.Day(b.DayStart).AddBucket(b.Bucket, b.Count);
            }
        }

        var deltas = await db.RunRollupDeltas.AsNoTracking()
            .Where(d => d.HourStart >= from && d.HourStart < to && (agentKey == null || d.AgentKey == agentKey))
            .ToListAsync(ct);
        foreach (var delta in deltas)
        {
            var c = delta.Contribution;
            load.For(c.AgentKey, c.HourStart, t => t.Add(c, delta.Weight));
        }

        var unfinished = await db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production)
            .Where(r => Unfinished.Contains(r.Status) && r.CreatedAt >= window.From && r.CreatedAt < to && (agentKey == null || r.AgentKey == agentKey))
            .Select(r => new { r.AgentKey, r.Status, r.CreatedAt, r.EscalationCount, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens })
            .ToListAsync(ct);
        foreach (var r in unfinished)
        {
            load.For(r.AgentKey, r.CreatedAt, t => t.AddUnfinished(r.Status, r.EscalationCount > 0, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens));
        }

        var keys = load.AgentKeys.ToList();
        load.Names = await db.Agents.AsNoTracking().Where(a => keys.Contains(a.Key)).ToDictionaryAsync(a => a.Key, a => a.Name, ct);
        return load;
    }
}
