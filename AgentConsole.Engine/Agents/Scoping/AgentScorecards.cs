using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>Builds an agent's scorecard: its scoping, the baseline, and the pilot's run figures judged by <see cref="PilotEvaluation"/>.</summary>
public sealed class AgentScorecards(IDbContextFactory<AgentConsoleDbContext> dbFactory, AgentScopings scopings, TimeProvider time)
{
    /// <summary>The scorecard of <paramref name="agentKey"/>, or null when there is no such agent.</summary>
    public async Task<AgentScorecard?> BuildAsync(string agentKey, CancellationToken ct = default)
    {
        var key = agentKey.Trim().ToLowerInvariant();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Agents.AnyAsync(a => a.Key == key, ct))
            {
                return null;
            }
        }

        var scoping = await scopings.FindAsync(key, ct);
        var baseline = scoping is null ? null : PilotEvaluation.Baseline(scoping);
        var window = PilotEvaluation.Window(scoping?.PilotStart, time.GetUtcNow());
        var figures = baseline is null || window is null ? null : await LoadFiguresAsync(window.From, window.To, key, ct);
        return new AgentScorecard(key, scoping, baseline, PilotEvaluation.Score(baseline, scoping?.PilotStart, window, figures));
    }

    /// <summary>
    /// The run figures of one agent for runs created in [<paramref name="from"/>, <paramref name="to"/>). The one place
    /// the scorecard reads runs: when <c>Monitoring.RunMetrics.SummarizeAsync(new MetricsQuery(from, to, agentKey))</c>
    /// lands, this body becomes a call to it mapped onto <see cref="PilotFigures"/>.
    /// </summary>
    public async Task<PilotFigures> LoadFiguresAsync(DateTimeOffset from, DateTimeOffset to, string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = db.Runs.AsNoTracking().Where(r => r.AgentKey == agentKey && r.CreatedAt >= from && r.CreatedAt < to);
        var groups = await runs.GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count(), Cost = g.Sum(r => r.CostUsd) }).ToListAsync(ct);
        var escalated = await runs.CountAsync(r => db.Escalations.Any(e => e.RunId == r.Id), ct);
        var total = groups.Sum(g => g.Count);
        var ended = groups.Where(g => RunStatistics.EndedStatuses.Contains(g.Status)).Sum(g => g.Count);
        var errors = groups.Where(g => g.Status is RunStatus.Failed or RunStatus.StoppedByLimit).Sum(g => g.Count);
        var cost = groups.Sum(g => g.Cost);
        return new PilotFigures(
            total,
            ended,
            errors,
            escalated,
            cost,
            total == 0 ? null : (double)errors / total,
            total == 0 ? null : (double)escalated / total,
            total == 0 ? null : cost / total);
    }
}
