using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Escalations;

/// <summary>One agent's escalation figures over a window: the practice guide's healthy rate is 5–15 % of runs.</summary>
public sealed record AgentEscalationRate(string AgentKey, string AgentName, int Runs, int EscalatedRuns, int Escalations)
{
    public double Rate => Runs == 0 ? 0 : (double)EscalatedRuns / Runs;
}

/// <summary>How escalations of one kind (the reason) ended.</summary>
public sealed record EscalationOutcomes(EscalationKind Kind, int Open, IReadOnlyDictionary<string, int> ByResolution);

public sealed record EscalationMetrics(
    DateTimeOffset From, DateTimeOffset To, IReadOnlyList<AgentEscalationRate> Agents, int Resolved, double? MedianMinutesToResolve,
    double? P95MinutesToResolve, double? MeanMinutesToResolve, int ResolvedBySla, IReadOnlyList<EscalationOutcomes> ByReason);

/// <summary>
/// The figures the dashboard uses: escalation rate per agent (runs with at least one escalation / runs started),
/// time to resolution (raised → decided, by people and by the SLA), and outcomes by reason.
/// </summary>
public sealed class EscalationStatistics(IDbContextFactory<AgentConsoleDbContext> dbFactory, TimeProvider time)
{
    public const int MaxDays = 366;

    public async Task<EscalationMetrics> ComputeAsync(int days, string? agent = null, CancellationToken ct = default)
    {
        var to = time.GetUtcNow();
        var from = to.AddDays(-Math.Clamp(days, 1, MaxDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production).Where(r => r.CreatedAt >= from);
        var escalations = db.Escalations.AsNoTracking().Where(e => e.CreatedAt >= from);
        if (!string.IsNullOrWhiteSpace(agent))
        {
            runs = runs.Where(r => r.AgentKey == agent);
            escalations = escalations.Where(e => e.AgentKey == agent);
        }

        var runCounts = await runs.GroupBy(r => new { r.AgentKey, r.AgentName }).Select(g => new { g.Key.AgentKey, g.Key.AgentName, Count = g.Count() }).ToListAsync(ct);
        var rows = await escalations.Select(e => new { e.AgentKey, e.RunId, e.Kind, e.Status, e.Resolution, e.CreatedAt, e.ResolvedAt, e.ResolvedVia }).ToListAsync(ct);
        var runIds = runs.Select(r => r.Id);
        var escalatedRuns = await escalations.Where(e => runIds.Contains(e.RunId)).GroupBy(e => e.AgentKey)
            .Select(g => new { AgentKey = g.Key, Runs = g.Select(e => e.RunId).Distinct().Count() }).ToListAsync(ct);

        var agents = runCounts.GroupBy(r => r.AgentKey).Select(g => new AgentEscalationRate(
            g.Key,
            g.First().AgentName,
            g.Sum(r => r.Count),
            escalatedRuns.FirstOrDefault(e => e.AgentKey == g.Key)?.Runs ?? 0,
            rows.Count(e => e.AgentKey == g.Key))).OrderBy(a => a.AgentName, StringComparer.OrdinalIgnoreCase).ToList();

        var minutes = rows.Where(e => e.ResolvedAt is not null && e.Status != EscalationStatus.Cancelled)
            .Select(e => (e.ResolvedAt!.Value - e.CreatedAt).TotalMinutes).Order().ToList();
        var outcomes = rows.GroupBy(e => e.Kind).OrderBy(g => g.Key).Select(g => new EscalationOutcomes(
            g.Key,
            g.Count(e => e.Status == EscalationStatus.Open),
            g.Where(e => e.Status != EscalationStatus.Open).GroupBy(e => e.Resolution ?? e.Status.ToString().ToLowerInvariant()).ToDictionary(x => x.Key, x => x.Count()))).ToList();
        return new EscalationMetrics(from, to, agents, minutes.Count, Percentile(minutes, 0.5), Percentile(minutes, 0.95),
            minutes.Count == 0 ? null : minutes.Average(), rows.Count(e => e.ResolvedVia == EscalationResolvedVia.Timeout), outcomes);
    }

    private static double? Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        // Nearest rank: the smallest value with at least p of the values at or below it.
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
