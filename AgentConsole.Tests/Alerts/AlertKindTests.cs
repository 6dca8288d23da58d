using AgentConsole.Engine.Alerts;

namespace AgentConsole.Tests.Alerts;

/// <summary>Each alert kind fires on known data and resolves once the condition no longer holds (FakeTimeProvider, real SQLite).</summary>
public sealed class AlertKindTests : IAsyncLifetime
{
    private AlertTestBed _bed = default!;

    public async Task InitializeAsync() => _bed = await AlertTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task ErrorRate_FiresOverThreshold_WithEnoughEndedRuns_AndResolvesWhenTheWindowPasses()
    {
        var rule = await _bed.AddRuleAsync("Errors", AlertKind.ErrorRate, new() { ThresholdPercent = 20, WindowMinutes = 60 });
        await _bed.SeedRunsAsync("lead-router", succeeded: 13, failed: 5, stopped: 2);
        // One failure of two runs is 50 %, but below the minimum of 10 ended runs nobody is paged.
        await _bed.SeedRunsAsync("invoice-bot", succeeded: 1, failed: 1);

        var pass = await _bed.Evaluator.EvaluateAsync();

        var alert = Assert.Single(await _bed.AlertsAsync(rule.Id));
        Assert.Equal((1, 0, 0), (pass.Fired, pass.Resolved, pass.Failed));
        Assert.Equal(("agent:lead-router", "lead-router", AlertStatus.Firing), (alert.Subject, alert.AgentKey, alert.Status));
        Assert.Equal(35, alert.Value);
        Assert.Equal(20, alert.Threshold);
        Assert.Contains("7 of 20 ended runs", alert.Message, StringComparison.Ordinal);

        _bed.Time.Advance(TimeSpan.FromMinutes(61));
        await _bed.Evaluator.EvaluateAsync();

        alert = Assert.Single(await _bed.AlertsAsync(rule.Id));
        Assert.Equal(AlertStatus.Resolved, alert.Status);
        Assert.Equal(_bed.Now, alert.ResolvedAt);
    }

    [Fact]
    public async Task RunCost_FiresPerRun_OverTheMedianMultipleOrTheLimit_AndResolvesAfterItsWindow()
    {
        var rule = await _bed.AddRuleAsync("Costly runs", AlertKind.RunCost, new() { MedianMultiple = 5, MaxRunCostUsd = 5, WindowMinutes = 60 });
        // The trailing median: 20 runs at $0.10 over the last days.
        await _bed.SeedRunsAsync("lead-router", succeeded: 20, cost: 0.10m, at: _bed.Now.AddDays(-2));
        var normal = await _bed.SeedRunsAsync("lead-router", succeeded: 1, cost: 0.30m);
        var loop = await _bed.SeedRunsAsync("lead-router", succeeded: 1, cost: 0.80m);
        // No median for a new agent (fewer than 20 runs): only the dollar limit applies.
        var newAgent = await _bed.SeedRunsAsync("invoice-bot", succeeded: 3, cost: 4m);
        var expensive = await _bed.SeedRunsAsync("invoice-bot", succeeded: 1, cost: 6m);

        await _bed.Evaluator.EvaluateAsync();

        var alerts = await _bed.AlertsAsync(rule.Id);
        Assert.Equal(new[] { $"run:{loop[0].Id}", $"run:{expensive[0].Id}" }.Order(StringComparer.Ordinal), alerts.Select(a => a.Subject).Order(StringComparer.Ordinal));
        var byMedian = alerts.Single(a => a.Subject == $"run:{loop[0].Id}");
        Assert.Equal(0.8, byMedian.Value, 6);
        Assert.Equal(0.5, byMedian.Threshold, 6);
        Assert.Contains("8x the agent's 7-day median of $0.1", byMedian.Message, StringComparison.Ordinal);
        var byLimit = alerts.Single(a => a.Subject == $"run:{expensive[0].Id}");
        Assert.Equal((6.0, 5.0), (byLimit.Value, byLimit.Threshold));
        Assert.DoesNotContain(alerts, a => a.Subject == $"run:{normal[0].Id}" || a.Subject == $"run:{newAgent[0].Id}");

        _bed.Time.Advance(TimeSpan.FromMinutes(61));
        await _bed.Evaluator.EvaluateAsync();

        Assert.All(await _bed.AlertsAsync(rule.Id), a => Assert.Equal(AlertStatus.Resolved, a.Status));
    }

    [Fact]
    public async Task DailySpend_FiresPerAgentOrForAllAgentsTogether_AndResolvesAtTheNextUtcDay()
    {
        _bed.Time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 22, 0, 0, TimeSpan.Zero));
        var perAgent = await _bed.AddRuleAsync("Spend per agent", AlertKind.DailySpend, new() { DailyLimitUsd = 100 });
        var together = await _bed.AddRuleAsync("Spend in total", AlertKind.DailySpend, new() { DailyLimitUsd = 100, AllAgentsTogether = true });
        await _bed.SeedRunsAsync("lead-router", succeeded: 11, cost: 10m);
        await _bed.SeedRunsAsync("invoice-bot", succeeded: 3, cost: 10m);
        // Yesterday's spend does not count.
        await _bed.SeedRunsAsync("invoice-bot", succeeded: 10, cost: 10m, at: _bed.Now.AddDays(-1));

        await _bed.Evaluator.EvaluateAsync();

        var agentAlert = Assert.Single(await _bed.AlertsAsync(perAgent.Id));
        Assert.Equal(("agent:lead-router", 110.0, 100.0), (agentAlert.Subject, agentAlert.Value, agentAlert.Threshold));
        var totalAlert = Assert.Single(await _bed.AlertsAsync(together.Id));
        Assert.Equal(("all", (string?)null, 140.0), (totalAlert.Subject, totalAlert.AgentKey, totalAlert.Value));
        Assert.Contains("All agents together spent $140.00 today (2026-12-07 UTC, 14 runs)", totalAlert.Message, StringComparison.Ordinal);

        _bed.Time.Advance(TimeSpan.FromHours(2));
        await _bed.Evaluator.EvaluateAsync();

        Assert.All(await _bed.AlertsAsync(), a => Assert.Equal(AlertStatus.Resolved, a.Status));
    }

    [Fact]
    public async Task EscalationRate_IsCriticalOverTheRedesignMark_WarningOutsideTheBand_AndResolvesAfterTheWindow()
    {
        var redesign = await _bed.AddRuleAsync("Redesign", AlertKind.EscalationRate, new() { RedesignPercent = 30, WindowMinutes = 24 * 60, MinRuns = 20 });
        var band = await _bed.AddRuleAsync("Band", AlertKind.EscalationRate, new() { LowPercent = 5, HighPercent = 15, WindowMinutes = 24 * 60, MinRuns = 20 });
        var router = await _bed.SeedRunsAsync("lead-router", succeeded: 20);
        await _bed.EscalateAsync(router.Take(7));
        var invoices = await _bed.SeedRunsAsync("invoice-bot", succeeded: 20);
        await _bed.EscalateAsync(invoices.Take(4));
        var quiet = await _bed.SeedRunsAsync("quiet-bot", succeeded: 20);
        await _bed.EscalateAsync(quiet.Take(2));
        // Too few runs to judge.
        var small = await _bed.SeedRunsAsync("small-bot", succeeded: 5);
        await _bed.EscalateAsync(small);

        await _bed.Evaluator.EvaluateAsync();

        var critical = Assert.Single(await _bed.AlertsAsync(redesign.Id));
        Assert.Equal(("agent:lead-router", AlertSeverity.Critical, 35.0, 30.0), (critical.Subject, critical.Severity, critical.Value, critical.Threshold));
        Assert.Contains("needs a redesign", critical.Message, StringComparison.Ordinal);
        var outside = (await _bed.AlertsAsync(band.Id)).ToDictionary(a => a.Subject);
        Assert.Equal(["agent:invoice-bot", "agent:lead-router"], outside.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((AlertSeverity.Warning, 20.0, 15.0), (outside["agent:invoice-bot"].Severity, outside["agent:invoice-bot"].Value, outside["agent:invoice-bot"].Threshold));
        // The band rule has no redesign mark: 35 % is a Warning against its high edge.
        Assert.Equal((AlertSeverity.Warning, 35.0, 15.0), (outside["agent:lead-router"].Severity, outside["agent:lead-router"].Value, outside["agent:lead-router"].Threshold));

        _bed.Time.Advance(TimeSpan.FromHours(25));
        await _bed.Evaluator.EvaluateAsync();

        Assert.All(await _bed.AlertsAsync(), a => Assert.Equal(AlertStatus.Resolved, a.Status));
    }

    [Fact]
    public async Task EscalationRate_BelowTheBand_FiresAsOverActing()
    {
        var band = await _bed.AddRuleAsync("Band", AlertKind.EscalationRate, new() { LowPercent = 5, HighPercent = 15, WindowMinutes = 60, MinRuns = 20 });
        await _bed.SeedRunsAsync("lead-router", succeeded: 40);

        await _bed.Evaluator.EvaluateAsync();

        var alert = Assert.Single(await _bed.AlertsAsync(band.Id));
        Assert.Equal((0.0, 5.0), (alert.Value, alert.Threshold));
        Assert.Contains("over-acting", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscalationsOverdue_FiresOncePastDue_AndResolvesWhenDecided()
    {
        var rule = await _bed.AddRuleAsync("Overdue", AlertKind.EscalationsOverdue, new() { MinCount = 1 });
        var runs = await _bed.SeedRunsAsync("lead-router", succeeded: 2);
        var escalations = await _bed.EscalateAsync(runs, TimeSpan.FromMinutes(30));

        await _bed.Evaluator.EvaluateAsync();
        Assert.Empty(await _bed.AlertsAsync(rule.Id));

        _bed.Time.Advance(TimeSpan.FromMinutes(31));
        await _bed.Evaluator.EvaluateAsync();
        var alert = Assert.Single(await _bed.AlertsAsync(rule.Id));
        Assert.Equal(("agent:lead-router", 2.0, AlertStatus.Firing), (alert.Subject, alert.Value, alert.Status));

        await _bed.DecideAsync(escalations);
        await _bed.Evaluator.EvaluateAsync();

        Assert.Equal(AlertStatus.Resolved, Assert.Single(await _bed.AlertsAsync(rule.Id)).Status);
    }

    [Fact]
    public async Task TriggerVolume_FiresWhenVolumeDropsToZero_AndResolvesWhenEventsReturn()
    {
        var rule = await _bed.AddRuleAsync("Volume", AlertKind.TriggerVolume, new() { WindowMinutes = 60, BaselineWindows = 24, MinAverage = 5, SpikeMultiple = 10 });
        var busy = await _bed.AddTriggerAsync("crm-leads");
        var rare = await _bed.AddTriggerAsync("rare-form");
        for (var hour = 2; hour <= 25; hour++)
        {
            await _bed.AddEventsAsync(busy, 6, _bed.Now.AddHours(-hour).AddMinutes(30));
        }

        // One event a day is normal for this one: silence is no news.
        await _bed.AddEventsAsync(rare, 1, _bed.Now.AddHours(-5));

        await _bed.Evaluator.EvaluateAsync();

        var alert = Assert.Single(await _bed.AlertsAsync(rule.Id));
        Assert.Equal(("trigger:crm-leads", "lead-router", 0.0), (alert.Subject, alert.AgentKey, alert.Value));
        Assert.Contains("received no events in the last 1 h; the previous 24 windows of 1 h averaged 6", alert.Message, StringComparison.Ordinal);

        await _bed.AddEventsAsync(busy, 3, _bed.Now.AddMinutes(-5));
        await _bed.Evaluator.EvaluateAsync();

        Assert.Equal(AlertStatus.Resolved, Assert.Single(await _bed.AlertsAsync(rule.Id)).Status);
    }

    [Fact]
    public async Task TriggerVolume_FiresOnASpike_AndResolvesWhenItPasses()
    {
        var rule = await _bed.AddRuleAsync("Volume", AlertKind.TriggerVolume, new() { WindowMinutes = 60, BaselineWindows = 24, MinAverage = 5, SpikeMultiple = 10 });
        var trigger = await _bed.AddTriggerAsync("crm-leads");
        for (var hour = 2; hour <= 25; hour++)
        {
            await _bed.AddEventsAsync(trigger, 6, _bed.Now.AddHours(-hour).AddMinutes(30));
        }

        await _bed.AddEventsAsync(trigger, 61, _bed.Now.AddMinutes(-10));

        await _bed.Evaluator.EvaluateAsync();

        var alert = Assert.Single(await _bed.AlertsAsync(rule.Id));
        Assert.Equal((61.0, 60.0), (alert.Value, alert.Threshold));

        _bed.Time.Advance(TimeSpan.FromMinutes(55));
        await _bed.AddEventsAsync(trigger, 6, _bed.Now.AddMinutes(-1));
        await _bed.Evaluator.EvaluateAsync();

        Assert.Equal(AlertStatus.Resolved, Assert.Single(await _bed.AlertsAsync(rule.Id)).Status);
    }
}
