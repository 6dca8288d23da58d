using System.Globalization;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// The measurements behind each alert kind: raw EF queries over short, indexed windows (Runs by AgentKey/CreatedAt,
/// Escalations by Status/DueAt, TriggerEvents by TriggerId/ReceivedAt). One method per kind, so the long windows (the
/// 7-day median, the day's spend, a 24-hour escalation rate) can move to hourly rollups without touching the evaluator.
/// Costs are summed in memory: SQLite cannot aggregate EF's decimal columns.
/// </summary>
public sealed class AlertSignals(IDbContextFactory<AgentConsoleDbContext> dbFactory, Monitoring.RunMetrics metrics)
{
    /// <summary>How far back a run may have started and still count as ended in a window (bounds the index scan).</summary>
    public static readonly TimeSpan LongestRun = TimeSpan.FromDays(1);

    /// <summary>The trailing period of the agent's median run cost, and the fewest ended runs it needs.</summary>
    public static readonly TimeSpan MedianPeriod = TimeSpan.FromDays(7);
    public const int MedianMinRuns = 20;

    public const string AllSubject = "all";

    private static readonly RunStatus[] Ended =
        [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.HandledByHuman, RunStatus.StoppedByLimit];

    public static string AgentSubject(string agentKey) => $"agent:{agentKey}";

    public async Task<IReadOnlyList<AlertBreach>> MeasureAsync(AlertRule rule, DateTimeOffset now, CancellationToken ct)
    {
        var p = rule.Parameters;
        return rule.Kind switch
        {
            AlertKind.ErrorRate => await ErrorRateAsync(rule.AgentKey, p, now, ct),
            AlertKind.RunCost => await RunCostAsync(rule.AgentKey, p, now, ct),
            AlertKind.DailySpend => await DailySpendAsync(rule.AgentKey, p, now, ct),
            AlertKind.EscalationRate => await EscalationRateAsync(rule.AgentKey, p, now, ct),
            AlertKind.EscalationsOverdue => await EscalationsOverdueAsync(rule.AgentKey, p, now, ct),
            AlertKind.TriggerVolume => await TriggerVolumeAsync(rule.AgentKey, p, now, ct),
            _ => throw new InvalidOperationException($"Alert kind {rule.Kind} has no signal."),
        };
    }

    /// <summary>(Failed + StoppedByLimit) / runs that ended in the last W minutes, per agent, over X %, with at least MinRuns ended.</summary>
    public async Task<IReadOnlyList<AlertBreach>> ErrorRateAsync(string? agentKey, AlertParameters p, DateTimeOffset now, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(Required(p.WindowMinutes, nameof(p.WindowMinutes)));
        var threshold = Required(p.ThresholdPercent, nameof(p.ThresholdPercent));
        var minRuns = p.MinRuns ?? AlertParameters.DefaultMinEndedRuns;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await EndedRuns(db, agentKey, now - window)
            .GroupBy(r => r.AgentKey)
            .Select(g => new { AgentKey = g.Key, Ended = g.Count(), Errors = g.Count(r => r.Status == RunStatus.Failed || r.Status == RunStatus.StoppedByLimit) })
            .ToListAsync(ct);
        return [.. rows
            .Where(r => r.Ended >= minRuns && Percent(r.Errors, r.Ended) > threshold)
            .OrderBy(r => r.AgentKey, StringComparer.Ordinal)
            .Select(r => new AlertBreach(AgentSubject(r.AgentKey), r.AgentKey, AlertSeverity.Warning, Percent(r.Errors, r.Ended), threshold,
                $"Error rate of {r.AgentKey} is {Pct(Percent(r.Errors, r.Ended))} ({r.Errors} of {r.Ended} ended runs failed or hit a limit) in the last {Minutes(window)}; threshold {Pct(threshold)}."))];
    }

    /// <summary>Runs that ended in the last W minutes costing more than N x the agent's trailing median or more than $Y (subject: the run).</summary>
    public async Task<IReadOnlyList<AlertBreach>> RunCostAsync(string? agentKey, AlertParameters p, DateTimeOffset now, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(p.WindowMinutes ?? AlertParameters.DefaultRunCostWindowMinutes);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recent = await EndedRuns(db, agentKey, now - window)
            .Select(r => new { r.Id, r.AgentKey, r.CostUsd })
            .ToListAsync(ct);
        var breaches = new List<AlertBreach>();
        foreach (var agent in recent.GroupBy(r => r.AgentKey).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            decimal? median = null;
            if (p.MedianMultiple is not null)
            {
                var costs = await EndedRuns(db, agent.Key, now - MedianPeriod).Select(r => r.CostUsd).ToListAsync(ct);
                median = costs.Count >= MedianMinRuns ? Median(costs) : null;
            }

            foreach (var run in agent.OrderBy(r => r.Id))
            {
                // The lower threshold that applies is the one crossed first; a zero median would page on every paid run.
                var byMedian = median is > 0 && p.MedianMultiple is { } n ? median.Value * (decimal)n : (decimal?)null;
                var limit = new[] { byMedian, p.MaxRunCostUsd }.Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(decimal.MaxValue).Min();
                if (run.CostUsd <= limit)
                {
                    continue;
                }

                var why = byMedian == limit
                    ? $"{(double)(run.CostUsd / median!.Value):0.#}x the agent's 7-day median of {Usd(median.Value)} (threshold {p.MedianMultiple:0.##}x = {Usd(limit)})"
                    : $"over the {Usd(limit)} limit per run";
                breaches.Add(new AlertBreach($"run:{run.Id}", run.AgentKey, AlertSeverity.Warning, (double)run.CostUsd, (double)limit,
                    $"Run {run.Id} of {run.AgentKey} cost {Usd(run.CostUsd)}, {why}."));
            }
        }

        return breaches;
    }

    /// <summary>
    /// Today's spend (UTC day, runs counted on the day they started) over $Z: per agent, or one total when the rule is for
    /// every agent and marked "all agents together".
    /// </summary>
    public async Task<IReadOnlyList<AlertBreach>> DailySpendAsync(string? agentKey, AlertParameters p, DateTimeOffset now, CancellationToken ct)
    {
        var limit = Required(p.DailyLimitUsd, nameof(p.DailyLimitUsd));
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        // The day's spend is the dashboard's: read from the hourly rollups (runs that ended today plus those started
        // today and still going), never by loading every run of the day each minute.
        var today = await metrics.DashboardAsync(new Monitoring.MetricsWindow(dayStart, now.AddTicks(1), TimeZoneInfo.Utc), agentKey, ct);
        var day = dayStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (agentKey is null && p.AllAgentsTogether)
        {
            var total = today.Total.CostUsd;
            return total > limit
                ? [new AlertBreach(AllSubject, null, AlertSeverity.Warning, (double)total, (double)limit,
                    $"All agents together spent {Usd(total)} today ({day} UTC, {today.Total.Runs} runs); limit {Usd(limit)}.")]
                : [];
        }

        return [.. today.Agents
            .Where(a => a.Summary.CostUsd > limit)
            .OrderBy(a => a.AgentKey, StringComparer.Ordinal)
            .Select(a => new AlertBreach(AgentSubject(a.AgentKey), a.AgentKey, AlertSeverity.Warning, (double)a.Summary.CostUsd, (double)limit,
                $"{a.AgentKey} spent {Usd(a.Summary.CostUsd)} today ({day} UTC, {a.Summary.Runs} runs); limit {Usd(limit)}."))];
    }

    /// <summary>
    /// Runs with at least one escalation / runs started in the last W minutes, per agent, with at least MinRuns: over the
    /// redesign mark is Critical, outside the healthy band Warning.
    /// </summary>
    public async Task<IReadOnlyList<AlertBreach>> EscalationRateAsync(string? agentKey, AlertParameters p, DateTimeOffset now, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(Required(p.WindowMinutes, nameof(p.WindowMinutes)));
        var minRuns = p.MinRuns ?? AlertParameters.DefaultMinEscalationRuns;
        var from = now - window;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production).Where(r => r.CreatedAt >= from && (agentKey == null || r.AgentKey == agentKey));
        var started = await runs.GroupBy(r => r.AgentKey).Select(g => new { AgentKey = g.Key, Runs = g.Count() }).ToListAsync(ct);
        var runIds = runs.Select(r => r.Id);
        // An escalation is never older than its run, so the run's window bounds the escalations' too (and their index).
        var escalated = await db.Escalations.AsNoTracking()
            .Where(e => e.CreatedAt >= from && runIds.Contains(e.RunId))
            .GroupBy(e => e.AgentKey)
            .Select(g => new { AgentKey = g.Key, Runs = g.Select(e => e.RunId).Distinct().Count() })
            .ToDictionaryAsync(e => e.AgentKey, e => e.Runs, ct);
        var breaches = new List<AlertBreach>();
        foreach (var agent in started.Where(a => a.Runs >= minRuns).OrderBy(a => a.AgentKey, StringComparer.Ordinal))
        {
            var count = escalated.GetValueOrDefault(agent.AgentKey);
            var rate = Percent(count, agent.Runs);
            var facts = $"{count} of {agent.Runs} runs in the last {Minutes(window)}";
            if (p.RedesignPercent is { } redesign && rate > redesign)
            {
                breaches.Add(new AlertBreach(AgentSubject(agent.AgentKey), agent.AgentKey, AlertSeverity.Critical, rate, redesign,
                    $"Escalation rate of {agent.AgentKey} is {Pct(rate)} ({facts}), over {Pct(redesign)}: the agent needs a redesign."));
            }
            else if (p.HighPercent is { } high && rate > high)
            {
                breaches.Add(new AlertBreach(AgentSubject(agent.AgentKey), agent.AgentKey, AlertSeverity.Warning, rate, high,
                    $"Escalation rate of {agent.AgentKey} is {Pct(rate)} ({facts}), above the healthy band's {Pct(high)}: the automation is not doing its job."));
            }
            else if (p.LowPercent is { } low && rate < low)
            {
                breaches.Add(new AlertBreach(AgentSubject(agent.AgentKey), agent.AgentKey, AlertSeverity.Warning, rate, low,
                    $"Escalation rate of {agent.AgentKey} is {Pct(rate)} ({facts}), below the healthy band's {Pct(low)}: the agent may be over-acting."));
            }
        }

        return breaches;
    }

    /// <summary>Open escalations past their DueAt, per agent, at or above MinCount (default 1).</summary>
    public async Task<IReadOnlyList<AlertBreach>> EscalationsOverdueAsync(string? agentKey, AlertParameters p, DateTimeOffset now, CancellationToken ct)
    {
        var minCount = p.MinCount ?? 1;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Escalations.AsNoTracking()
            .Where(e => e.Status == EscalationStatus.Open && e.DueAt != null && e.DueAt < now && (agentKey == null || e.AgentKey == agentKey))
            .GroupBy(e => e.AgentKey)
            .Select(g => new { AgentKey = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return [.. rows.Where(r => r.Count >= minCount)
            .OrderBy(r => r.AgentKey, StringComparer.Ordinal)
            .Select(r => new AlertBreach(AgentSubject(r.AgentKey), r.AgentKey, AlertSeverity.Warning, r.Count, minCount,
                $"{r.Count} open escalation{(r.Count == 1 ? "" : "s")} of {r.AgentKey} past the due time (alert at {minCount}).")) ];
    }

    /// <summary>
    /// Per enabled trigger: events in the last W minutes against the average of the BaselineWindows windows before. Zero
    /// when the baseline averaged at least K fires as a drop; more than M x max(baseline, K) fires as a spike.
    /// </summary>
    public async Task<IReadOnlyList<AlertBreach>> TriggerVolumeAsync(string? agentKey, AlertParameters p, DateTimeOffset now, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(p.WindowMinutes ?? AlertParameters.DefaultTriggerWindowMinutes);
        var baselineWindows = p.BaselineWindows ?? AlertParameters.DefaultBaselineWindows;
        var minAverage = p.MinAverage ?? AlertParameters.DefaultMinAverage;
        var from = now - window;
        var baselineFrom = from - (window * baselineWindows);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var triggers = await db.Triggers.AsNoTracking()
            .Where(t => t.Enabled && (agentKey == null || t.AgentKey == agentKey))
            .OrderBy(t => t.Key)
            .Select(t => new { t.Id, t.Key, t.AgentKey })
            .ToListAsync(ct);
        var breaches = new List<AlertBreach>();
        foreach (var trigger in triggers)
        {
            var events = db.TriggerEvents.AsNoTracking().Where(e => e.TriggerId == trigger.Id);
            var current = await events.CountAsync(e => e.ReceivedAt >= from && e.ReceivedAt <= now, ct);
            var baseline = await events.CountAsync(e => e.ReceivedAt >= baselineFrom && e.ReceivedAt < from, ct);
            var average = (double)baseline / baselineWindows;
            var facts = $"the previous {baselineWindows} windows of {Minutes(window)} averaged {average:0.#}";
            if (current == 0 && average >= minAverage)
            {
                breaches.Add(new AlertBreach($"trigger:{trigger.Key}", trigger.AgentKey, AlertSeverity.Warning, 0, minAverage,
                    $"Trigger {trigger.Key} received no events in the last {Minutes(window)}; {facts}."));
            }
            else if (p.SpikeMultiple is { } spike && current > spike * Math.Max(average, minAverage))
            {
                var limit = spike * Math.Max(average, minAverage);
                breaches.Add(new AlertBreach($"trigger:{trigger.Key}", trigger.AgentKey, AlertSeverity.Warning, current, limit,
                    $"Trigger {trigger.Key} received {current} events in the last {Minutes(window)}, over {limit:0.#} ({spike:0.##}x); {facts}."));
            }
        }

        return breaches;
    }

    /// <summary>Runs that ended since <paramref name="from"/> (a stopped run's end is its last update: it has no CompletedAt).</summary>
    private static IQueryable<Run> EndedRuns(AgentConsoleDbContext db, string? agentKey, DateTimeOffset from)
    {
        var scanFrom = from - LongestRun;
        return db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production)
            .Where(r => r.CreatedAt >= scanFrom && (agentKey == null || r.AgentKey == agentKey) && Ended.Contains(r.Status))
            .Where(r => (r.CompletedAt != null && r.CompletedAt >= from) || (r.Status == RunStatus.StoppedByLimit && r.UpdatedAt >= from));
    }

    private static decimal Median(List<decimal> values)
    {
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static T Required<T>(T? value, string name) where T : struct =>
        value ?? throw new InvalidOperationException($"The rule has no {name}.");

    private static double Percent(int part, int whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 2);

    private static string Pct(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Usd(decimal value) => "$" + value.ToString(value < 1 ? "0.####" : "0.00", CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan window) => window.TotalMinutes % 60 == 0 && window.TotalMinutes >= 60
        ? $"{window.TotalHours:0} h"
        : $"{window.TotalMinutes:0} min";
}
