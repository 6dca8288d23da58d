using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// The same figures as <see cref="RunMetrics"/>, recomputed from every run in the window. It is what the rollups are
/// checked against in tests, and the baseline the dashboard benchmark (P6) measures them against; never used by a page.
/// </summary>
public sealed class RawRunMetrics(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    private static readonly RunStatus[] Unfinished = [RunStatus.Queued, RunStatus.Running, RunStatus.WaitingForHuman, RunStatus.StoppedByLimit];

    public async Task<DashboardData> DashboardAsync(MetricsWindow window, string? agentKey, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var from = RunContribution.HourOf(window.From);
        // Rollups count whole hours: the hour holding the window's end is in, so the recomputation takes it whole too.
        var to = RunContribution.HourOf(window.To) == window.To ? window.To : RunContribution.HourOf(window.To).AddHours(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var load = new MetricsLoad(window);
        var ended = db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production)
            .Where(r => RunContribution.EndedStatuses.Contains(r.Status) && r.CompletedAt >= from && r.CompletedAt < to && (agentKey == null || r.AgentKey == agentKey))
            .Select(r => new { r.AgentKey, r.Status, r.CompletedAt, r.EscalationCount, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens, r.ActiveMilliseconds })
            .AsAsyncEnumerable();
        await foreach (var r in ended.WithCancellation(ct))
        {
            if (RunContribution.Of(r.AgentKey, r.Status, r.CompletedAt, r.EscalationCount, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens, r.ActiveMilliseconds) is { } c)
            {
                load.For(c.AgentKey, c.HourStart, t => t.Add(c, 1));
            }
        }

        var unfinished = await db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production)
            .Where(r => Unfinished.Contains(r.Status) && r.CreatedAt >= window.From && r.CreatedAt < window.To && (agentKey == null || r.AgentKey == agentKey))
            .Select(r => new { r.AgentKey, r.Status, r.CreatedAt, r.EscalationCount, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens })
            .ToListAsync(ct);
        foreach (var r in unfinished)
        {
            load.For(r.AgentKey, r.CreatedAt, t => t.AddUnfinished(r.Status, r.EscalationCount > 0, r.UsageEstimated, r.CostUsd, r.InputTokens, r.OutputTokens));
        }

        var keys = load.AgentKeys.ToList();
        load.Names = await db.Agents.AsNoTracking().Where(a => keys.Contains(a.Key)).ToDictionaryAsync(a => a.Key, a => a.Name, ct);
        return load.ToDashboard(window, agentKey, now);
    }
}
