using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Runs;

/// <summary>Figures about the runs created since a point in time, all counted by the database.</summary>
public sealed record RunSummary(
    DateTimeOffset Since,
    int Total,
    IReadOnlyDictionary<RunStatus, int> ByStatus,
    int Escalated,
    decimal CostUsd,
    int Ended,
    long EndedActiveMilliseconds)
{
    public int Count(RunStatus status) => ByStatus.GetValueOrDefault(status);

    /// <summary>Runs that failed or were stopped by a limit.</summary>
    public int Errors => Count(RunStatus.Failed) + Count(RunStatus.StoppedByLimit);

    /// <summary>Share of runs that handed at least one case to a person; null without runs.</summary>
    public double? EscalationRate => Total == 0 ? null : (double)Escalated / Total;

    public double? ErrorRate => Total == 0 ? null : (double)Errors / Total;

    /// <summary>Mean execution time of the runs that ended (time waiting for people excluded); null when none ended.</summary>
    public long? AverageActiveMilliseconds => Ended == 0 ? null : EndedActiveMilliseconds / Ended;
}

/// <summary>What the dashboard shows: real counts from the runs and escalations tables, never a placeholder.</summary>
public sealed class RunStatistics(IDbContextFactory<AgentConsoleDbContext> dbFactory)
{
    internal static readonly RunStatus[] EndedStatuses = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.StoppedByLimit, RunStatus.HandledByHuman];

    /// <summary>True once any run exists at all, so "no runs yet" is only ever said of an empty table.</summary>
    public async Task<bool> AnyRunsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Runs.AnyAsync(ct);
    }

    public async Task<int> OpenEscalationsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Escalations.CountAsync(e => e.Status == EscalationStatus.Open, ct);
    }

    /// <summary>The runs created at or after <paramref name="since"/> (any offset: times compare as instants).</summary>
    public async Task<RunSummary> SummarizeAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = db.Runs.AsNoTracking().Where(r => r.Kind == RunKind.Production).Where(r => r.CreatedAt >= since);
        var groups = await runs
            .GroupBy(r => r.Status)
            .Select(g => new
            {
                Status = g.Key,
                Count = g.Count(),
                Cost = g.Sum(r => r.CostUsd),
                Active = g.Where(r => r.StartedAt != null).Sum(r => r.ActiveMilliseconds),
                Started = g.Count(r => r.StartedAt != null),
            })
            .ToListAsync(ct);
        var escalated = await runs.CountAsync(r => db.Escalations.Any(e => e.RunId == r.Id), ct);
        var ended = groups.Where(g => EndedStatuses.Contains(g.Status)).ToList();
        return new RunSummary(
            since,
            groups.Sum(g => g.Count),
            groups.ToDictionary(g => g.Status, g => g.Count),
            escalated,
            groups.Sum(g => g.Cost),
            ended.Sum(g => g.Started),
            ended.Sum(g => g.Active));
    }
}
