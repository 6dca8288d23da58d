using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>Builds an agent's scorecard: its scoping, the baseline, and the pilot's run figures judged by <see cref="PilotEvaluation"/>.</summary>
public sealed class AgentScorecards(IDbContextFactory<AgentConsoleDbContext> dbFactory, AgentScopings scopings, Monitoring.RunMetrics metrics, TimeProvider time)
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
    /// The pilot's run figures, from the dashboard's own metrics (the same hourly rollups, so the scorecard and the
    /// dashboard never disagree): runs that ended in [<paramref name="from"/>, <paramref name="to"/>) plus those created in
    /// it and not ended. Runs stopped at a limit count as ended for time saved, and as errors.
    /// </summary>
    public async Task<PilotFigures> LoadFiguresAsync(DateTimeOffset from, DateTimeOffset to, string agentKey, CancellationToken ct = default)
    {
        var s = await metrics.SummarizeAsync(new Monitoring.MetricsQuery(from, to, agentKey), ct);
        return new PilotFigures(s.Runs, s.Ended + s.Stopped, s.Errors, s.Escalated, s.CostUsd, s.ErrorRate, s.EscalationRate, s.CostPerRun);
    }
}
