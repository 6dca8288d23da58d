using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Monitoring;

/// <summary>The dashboard's math on runs whose figures are known, and the rollups against a recomputation from the runs.</summary>
public sealed class RunMetricsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private RunHost _host = default!;

    public async Task InitializeAsync() => _host = await RunHost.StartAsync(time: _time);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private RunMetrics Metrics => _host.Services.GetRequiredService<RunMetrics>();

    private RollupFolder Folder => _host.Services.GetRequiredService<RollupFolder>();

    [Fact]
    public async Task Summary_ComputesRatesCostPerRunAndDurations_OnKnownRuns()
    {
        // 20 runs today: 14 succeed (2 of them after an escalation), 3 fail, 1 handled by a person (escalated),
        // 1 waits for a reviewer, 1 is still running.
        for (var i = 0; i < 12; i++)
        {
            await AddAsync(agent: "a", end: RunStatus.Succeeded, cost: 0.01m, ms: 1_000 + i * 100);
        }

        await AddAsync(agent: "a", end: RunStatus.Succeeded, cost: 0.02m, ms: 3_000, escalate: true);
        await AddAsync(agent: "b", end: RunStatus.Succeeded, cost: 0.02m, ms: 4_000, escalate: true);
        for (var i = 0; i < 3; i++)
        {
            await AddAsync(agent: "b", end: RunStatus.Failed, cost: 0.05m, ms: 20_000);
        }

        await AddAsync(agent: "b", end: RunStatus.HandledByHuman, cost: 0.03m, ms: 2_000, escalate: true);
        await AddAsync(agent: "b", end: RunStatus.WaitingForHuman, cost: 0.04m, ms: 500);
        await AddAsync(agent: "a", end: RunStatus.Running, cost: 0.01m, ms: 0);

        var summary = await Metrics.SummarizeAsync(new MetricsQuery(Now.AddDays(-1), Now));

        Assert.Equal(20, summary.Runs);
        Assert.Equal(18, summary.Ended);
        Assert.Equal(14, summary.Succeeded);
        Assert.Equal(3, summary.Failed);
        Assert.Equal(1, summary.HandledByHuman);
        Assert.Equal(1, summary.Waiting);
        Assert.Equal(1, summary.InFlight);
        Assert.Equal(3, summary.Errors);
        Assert.Equal(0.15, summary.ErrorRate!.Value, 6);
        // Three ended runs escalated plus the one waiting: 4 of 20.
        Assert.Equal(4, summary.Escalated);
        Assert.Equal(0.20, summary.EscalationRate!.Value, 6);
        Assert.Equal(EscalationHealth.High, summary.EscalationHealth);
        var cost = 12 * 0.01m + 0.02m + 0.02m + 3 * 0.05m + 0.03m + 0.04m + 0.01m;
        Assert.Equal(cost, summary.CostUsd);
        Assert.Equal(decimal.Round(cost / 20, 8), summary.CostPerRun);
        // Mean over the 18 ended runs; p95 is the 18th of 18 (nearest rank), 20 s, within the histogram's 2.5 %.
        var ended = Enumerable.Range(0, 12).Select(i => 1_000L + i * 100).Concat([3_000, 4_000, 20_000, 20_000, 20_000, 2_000]).ToList();
        Assert.Equal(ended.Average(), summary.AverageMilliseconds!.Value, 3);
        Assert.InRange(summary.P95Milliseconds!.Value, 20_000 * 0.975, 20_000 * 1.025);
        Assert.False(summary.CostEstimated);

        var onlyB = await Metrics.SummarizeAsync(new MetricsQuery(Now.AddDays(-1), Now, "b"));
        Assert.Equal(6, onlyB.Runs);
        Assert.Equal(3, onlyB.Failed);
    }

    [Fact]
    public async Task Summary_MarksCostAsEstimated_WhenSomeUsageWasEstimated()
    {
        await AddAsync(agent: "a", end: RunStatus.Succeeded, cost: 0.10m, ms: 1_000, estimated: true);
        await AddAsync(agent: "a", end: RunStatus.Succeeded, cost: 0.30m, ms: 1_000);

        var summary = await Metrics.SummarizeAsync(new MetricsQuery(Now.AddHours(-1), Now));

        Assert.True(summary.CostEstimated);
        Assert.Equal(0.10m, summary.EstimatedCostUsd);
        Assert.Equal(0.40m, summary.CostUsd);
    }

    [Fact]
    public async Task Rollups_EqualARecomputationFromTheRuns_AfterFoldingAndAfterChangesToEndedRuns()
    {
        var random = new Random(7);
        var statuses = new[] { RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.HandledByHuman, RunStatus.WaitingForHuman, RunStatus.StoppedByLimit };
        var ids = new List<Guid>();
        for (var i = 0; i < 300; i++)
        {
            // Spread over 40 days and three agents, so hours, days and the window edges all matter.
            var at = Now.AddHours(-random.Next(0, 40 * 24)).AddMinutes(-random.Next(0, 60));
            ids.Add(await AddAsync(agent: $"agent-{random.Next(3)}", end: statuses[random.Next(statuses.Length)],
                cost: random.Next(0, 500) / 1000m, ms: random.Next(10, 120_000), escalate: random.Next(10) == 0, estimated: random.Next(5) == 0, at: at));
        }
        await Folder.FoldAsync();
        // A change to runs that ended already (usage recorded late) moves their contribution; some stay unfolded.
        await using (var db = await Factory().CreateDbContextAsync())
        {
            foreach (var id in ids.Take(40))
            {
                var run = await db.Runs.SingleAsync(r => r.Id == id);
                run.RecordModelCall(100, 50, 0.25m, estimated: false);
            }

            await db.SaveChangesAsync();
        }

        await Folder.FoldAsync();
        await AddAsync(agent: "agent-1", end: RunStatus.Succeeded, cost: 0.5m, ms: 700);

        foreach (var window in new[] { MetricsWindow.For(DashboardPeriod.Today, Now, TimeZoneInfo.Utc), MetricsWindow.For(DashboardPeriod.Week, Now, TimeZoneInfo.Utc), MetricsWindow.For(DashboardPeriod.Month, Now, TimeZoneInfo.Utc) })
        {
            var fromRollups = await Metrics.DashboardAsync(window);
            var recomputed = await _host.Services.GetRequiredService<RawRunMetrics>().DashboardAsync(window, null, fromRollups.LoadedAt);
            Assert.Equal(recomputed.Total, fromRollups.Total);
            Assert.Equal(recomputed.Days, fromRollups.Days);
            Assert.Equal(recomputed.Agents, fromRollups.Agents);
            Assert.True(fromRollups.Total.Runs > 0);
        }

        // Rebuilding from scratch gives the same rows as the incremental path.
        await Folder.FoldAsync();
        var incremental = await RollupRowsAsync();
        await Folder.RebuildAsync();
        Assert.Equal(incremental, await RollupRowsAsync());
    }

    [Fact]
    public async Task Rollups_AreRebuiltAtStart_ForADatabaseWithRunsButNoRollups()
    {
        await AddAsync(agent: "a", end: RunStatus.Succeeded, cost: 0.2m, ms: 1_500);
        await AddAsync(agent: "a", end: RunStatus.Failed, cost: 0.1m, ms: 900);
        await Folder.FoldAsync();
        await using (var db = await Factory().CreateDbContextAsync())
        {
            await db.RunRollups.ExecuteDeleteAsync();
            await db.RunDurationRollups.ExecuteDeleteAsync();
        }

        Assert.True(await Folder.NeedsRebuildAsync());
        Assert.Equal(2, await Folder.RebuildAsync());
        Assert.False(await Folder.NeedsRebuildAsync());

        var summary = await Metrics.SummarizeAsync(new MetricsQuery(Now.AddHours(-1), Now));
        Assert.Equal(2, summary.Ended);
        Assert.Equal(0.3m, summary.CostUsd);
    }

    [Fact]
    public async Task Dashboard_CountsDaysInTheConfiguredTimeZone()
    {
        // 23:30 UTC on the 6th is already the 7th in Berlin (UTC+1 in December).
        await AddAsync(agent: "a", end: RunStatus.Succeeded, cost: 0.1m, ms: 1_000, at: new DateTimeOffset(2026, 12, 6, 23, 30, 0, TimeSpan.Zero));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var week = await Metrics.DashboardAsync(MetricsWindow.For(DashboardPeriod.Week, Now, berlin));

        Assert.Equal(7, week.Days.Count);
        Assert.Equal(new DateOnly(2026, 12, 7), week.Days[^1].Day);
        Assert.Equal(1, week.Days[^1].Succeeded);
        Assert.Equal(0, week.Days[^2].Runs);
    }

    private IDbContextFactory<AgentConsoleDbContext> Factory() => _host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>();

    private async Task<List<string>> RollupRowsAsync()
    {
        await using var db = await Factory().CreateDbContextAsync();
        var rollups = (await db.RunRollups.AsNoTracking().ToListAsync())
            .Select(r => $"{r.AgentKey}|{r.HourStart:O}|{r.Ended}|{r.Succeeded}|{r.Failed}|{r.Cancelled}|{r.HandledByHuman}|{r.Escalated}|{r.CostUsd:0.########}|{r.EstimatedCostUsd:0.########}|{r.InputTokens}|{r.OutputTokens}|{r.ActiveMilliseconds}");
        var buckets = (await db.RunDurationRollups.AsNoTracking().ToListAsync()).Select(b => $"{b.AgentKey}|{b.HourStart:O}|{b.Bucket}|{b.Count}");
        var days = (await db.RunDurationDays.AsNoTracking().ToListAsync()).Select(b => $"day|{b.AgentKey}|{b.DayStart:O}|{b.Bucket}|{b.Count}");
        return [.. rollups.Concat(buckets).Concat(days).Order(StringComparer.Ordinal)];
    }

    /// <summary>A run taken through its real transitions to <paramref name="end"/>, saved through the engine's context factory.</summary>
    private async Task<Guid> AddAsync(string agent, RunStatus end, decimal cost, long ms, bool escalate = false, bool estimated = false, DateTimeOffset? at = null)
    {
        var now = at ?? _time.GetUtcNow();
        var run = Run.Create(agent, $"Agent {agent}", "{}", "tests", now.AddSeconds(-30));
        run.Start("Offline", "offline", now.AddSeconds(-30));
        run.RecordModelCall(1_000, 200, cost, estimated);
        run.AddActiveTime(TimeSpan.FromMilliseconds(ms));
        if (escalate || end is RunStatus.WaitingForHuman or RunStatus.HandledByHuman)
        {
            run.WaitForHuman("Needs a person", now.AddSeconds(-20));
            if (end is not RunStatus.WaitingForHuman and not RunStatus.HandledByHuman)
            {
                run.Resume(now.AddSeconds(-10));
            }
        }

        switch (end)
        {
            case RunStatus.Succeeded:
                run.Succeed("done", now);
                break;
            case RunStatus.Failed:
                run.Fail("broke", now);
                break;
            case RunStatus.Cancelled:
                run.Cancel("cancelled", now);
                break;
            case RunStatus.HandledByHuman:
                run.HandOver("handled", "taken over", now);
                break;
            case RunStatus.StoppedByLimit:
                run.StopByLimit(RunLimit.Steps, "steps", now);
                break;
        }

        await using var db = await Factory().CreateDbContextAsync();
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }
}
