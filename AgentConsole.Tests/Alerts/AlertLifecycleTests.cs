using AgentConsole.Engine.Alerts;
using AgentConsole.Engine.Notifications;
using AgentConsole.Tests.Notifications;
using AgentConsole.Tests.Tools.Email;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Alerts;

/// <summary>De-duplication, acknowledgement, audit, a broken rule among good ones, default rules, and notifications.</summary>
public sealed class AlertLifecycleTests : IAsyncLifetime
{
    private AlertTestBed _bed = default!;

    public async Task InitializeAsync() => _bed = await AlertTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<AlertRule> ErrorRuleAsync(params string[] channels) =>
        _bed.AddRuleAsync("Errors", AlertKind.ErrorRate, new() { ThresholdPercent = 20, WindowMinutes = 60 }, null, channels);

    [Fact]
    public async Task Evaluate_UpdatesTheFiringAlert_WhenEvaluatedTwice_InsteadOfAddingARow()
    {
        var rule = await ErrorRuleAsync();
        await _bed.SeedRunsAsync("lead-router", succeeded: 7, failed: 3);
        await _bed.Evaluator.EvaluateAsync();

        _bed.Time.Advance(TimeSpan.FromMinutes(1));
        await _bed.SeedRunsAsync("lead-router", succeeded: 0, failed: 2);
        var second = await _bed.Evaluator.EvaluateAsync();

        var alert = Assert.Single(await _bed.AlertsAsync(rule.Id));
        Assert.Equal((0, 0), (second.Fired, second.Resolved));
        Assert.Equal(41.67, alert.Value);
        Assert.Equal(_bed.Now, alert.LastSeenAt);
        Assert.Equal(_bed.Now.AddMinutes(-1), alert.FiredAt);
        Assert.Single(await _bed.Bed.AuditAsync("alert.fired"));
    }

    [Fact]
    public async Task Acknowledge_RecordsWhoAndIsAudited_TheAlertStillResolves_AndALaterFiringIsANewUnacknowledgedRow()
    {
        var rule = await ErrorRuleAsync();
        await _bed.SeedRunsAsync("lead-router", succeeded: 5, failed: 5);
        await _bed.Evaluator.EvaluateAsync();
        var fired = Assert.Single(await _bed.Board.ActiveAsync());
        var changes = new List<AlertChanged>();
        _bed.Get<AlertFeed>().Changed += changes.Add;

        var ack = await _bed.Board.AcknowledgeAsync(fired.Id, "manager@example.com");
        var again = await _bed.Board.AcknowledgeAsync(fired.Id, "someone-else@example.com");

        Assert.Equal(AlertAcknowledgeOutcome.Acknowledged, ack.Outcome);
        Assert.Equal(AlertAcknowledgeOutcome.AlreadyAcknowledged, again.Outcome);
        Assert.Equal("manager@example.com", (await _bed.Board.FindAsync(fired.Id))!.AcknowledgedBy);
        var audited = Assert.Single(await _bed.Bed.AuditAsync("alert.acknowledged"));
        Assert.Equal("manager@example.com", audited.Actor);
        Assert.Contains($"\"alertId\":{fired.Id}", audited.Payload, StringComparison.Ordinal);

        _bed.Time.Advance(TimeSpan.FromMinutes(61));
        await _bed.Evaluator.EvaluateAsync();
        Assert.Equal(AlertAcknowledgeOutcome.NotFiring, (await _bed.Board.AcknowledgeAsync(fired.Id, "late@example.com")).Outcome);

        await _bed.SeedRunsAsync("lead-router", succeeded: 5, failed: 5);
        await _bed.Evaluator.EvaluateAsync();

        var alerts = await _bed.AlertsAsync(rule.Id);
        Assert.Equal([AlertStatus.Resolved, AlertStatus.Firing], alerts.Select(a => a.Status));
        Assert.Null(alerts[1].AcknowledgedAt);
        Assert.Equal([AlertChange.Acknowledged, AlertChange.Resolved, AlertChange.Fired], changes.Select(c => c.Change));
        Assert.Equal(2, (await _bed.Bed.AuditAsync("alert.fired")).Count);
        var resolved = Assert.Single(await _bed.Bed.AuditAsync("alert.resolved"));
        Assert.Equal("lead-router", resolved.AgentKey);
        Assert.Contains("\"threshold\":20", resolved.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_RecordsABrokenRulesError_AndStillEvaluatesTheOthers_ThenClearsItOnceFixed()
    {
        var broken = await _bed.AddRuleAsync("A broken rule", AlertKind.ErrorRate, new() { ThresholdPercent = 20, WindowMinutes = 60 });
        var good = await _bed.AddRuleAsync("B good rule", AlertKind.DailySpend, new() { DailyLimitUsd = 1 });
        await _bed.SeedRunsAsync("lead-router", succeeded: 10, failed: 10, cost: 1m);
        // A rule edited outside the console (or by an older version) without its threshold.
        await _bed.SqlAsync("UPDATE \"AlertRules\" SET \"ParametersJson\" = '{{\"windowMinutes\":60}}' WHERE \"Name\" = 'A broken rule'");

        var pass = await _bed.Evaluator.EvaluateAsync();

        Assert.Equal((2, 1, 1), (pass.Rules, pass.Fired, pass.Failed));
        Assert.Single(await _bed.AlertsAsync(good.Id));
        Assert.Empty(await _bed.AlertsAsync(broken.Id));
        var failed = await _bed.RuleAsync(broken.Id);
        Assert.Contains("ThresholdPercent", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(_bed.Now, failed.LastErrorAt);
        Assert.Contains("A broken rule", _bed.Bed.Logs.All, StringComparison.Ordinal);

        var edit = AlertRuleEdit.From(failed);
        edit.Parameters.ThresholdPercent = 20;
        await _bed.Rules.UpdateAsync(broken.Id, edit, AlertTestBed.Editor);
        await _bed.Evaluator.EvaluateAsync();

        var fixedRule = await _bed.RuleAsync(broken.Id);
        Assert.Null(fixedRule.LastError);
        Assert.Equal(_bed.Now, fixedRule.LastEvaluatedAt);
        Assert.Single(await _bed.AlertsAsync(broken.Id));
    }

    [Fact]
    public async Task DisablingOrDeletingARule_ResolvesItsFiringAlerts()
    {
        var rule = await ErrorRuleAsync();
        var spend = await _bed.AddRuleAsync("Spend", AlertKind.DailySpend, new() { DailyLimitUsd = 1 });
        await _bed.SeedRunsAsync("lead-router", succeeded: 5, failed: 5, cost: 1m);
        await _bed.Evaluator.EvaluateAsync();
        Assert.Equal(2, (await _bed.Board.ActiveAsync()).Count);

        var edit = AlertRuleEdit.From(rule);
        edit.Enabled = false;
        await _bed.Rules.UpdateAsync(rule.Id, edit, AlertTestBed.Editor);
        await _bed.Rules.DeleteAsync(spend.Id, AlertTestBed.Editor);
        await _bed.Evaluator.EvaluateAsync();

        Assert.Empty(await _bed.Board.ActiveAsync());
        Assert.Equal(2, (await _bed.Bed.AuditAsync("alert.resolved")).Count);
        Assert.Single(await _bed.Bed.AuditAsync("alert-rule.deleted"));
    }

    [Fact]
    public async Task FiredAlert_QueuesADeliveryPerChannel_InAppAndEmail_AndTheEmailArrivesWithTheValueAndTheLink()
    {
        await using var sink = await SmtpSink.StartAsync();
        await _bed.Bed.AddEmailAsync("ops-mail", sink.Host, sink.Port, recipients: "ops@example.com");
        await _bed.Bed.AddEmailAsync("readers-mail", sink.Host, sink.Port);
        var published = new List<InAppNotification>();
        _bed.Bed.InApp.Published += published.Add;
        await ErrorRuleAsync();
        await _bed.SeedRunsAsync("lead-router", succeeded: 6, failed: 4);

        await _bed.Evaluator.EvaluateAsync();

        var alert = Assert.Single(await _bed.Board.ActiveAsync());
        var deliveries = await _bed.Bed.Host.QueryAsync(db => db.NotificationDeliveries.Where(d => d.AlertId == alert.Id).OrderBy(d => d.ChannelKey).ToListAsync());
        Assert.Equal(["in-app", "ops-mail", "readers-mail"], deliveries.Select(d => d.ChannelKey));
        Assert.All(deliveries, d => Assert.Equal((NotificationEvent.AlertFired, (Guid?)null), (d.Event, d.EscalationId)));
        Assert.Equal(3, await _bed.Bed.Dispatcher.DispatchDueAsync(CancellationToken.None));

        var mails = await sink.WaitForMailAsync(2);
        var link = $"{NotificationTestBed.BaseUrl}/alerts?alert={alert.Id}";
        foreach (var mail in mails)
        {
            Assert.Equal("Alert (warning): Errors — lead-router", mail.Message.Subject);
            Assert.Contains("Error rate of lead-router is 40 % (4 of 10 ended runs failed or hit a limit) in the last 1 h; threshold 20 %.", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains(link, mail.Message.TextBody, StringComparison.Ordinal);
        }

        Assert.Contains(mails, m => m.EnvelopeTo.SequenceEqual(["ops@example.com"]));
        // No fixed list: the people who may read alerts (the bootstrap Admin here).
        Assert.Contains(mails, m => m.EnvelopeTo.SequenceEqual(["admin@agentconsole.local"]));
        var inApp = Assert.Single(published);
        Assert.Equal((alert.Id, NotificationEvent.AlertFired, link), (inApp.AlertId, inApp.Event, inApp.Link));
    }

    [Fact]
    public async Task RuleChannels_LimitTheDeliveries_AndAResolvedAlertIsAnnouncedToo()
    {
        var mail = await _bed.Bed.AddEmailAsync("ops-mail", "127.0.0.1", SmtpSink.FreePort(), recipients: "ops@example.com");
        await ErrorRuleAsync(mail.Key);
        await _bed.SeedRunsAsync("lead-router", succeeded: 6, failed: 4);
        await _bed.Evaluator.EvaluateAsync();
        _bed.Time.Advance(TimeSpan.FromMinutes(61));
        await _bed.Evaluator.EvaluateAsync();

        var deliveries = await _bed.Bed.Host.QueryAsync(db => db.NotificationDeliveries.Where(d => d.AlertId != null).OrderBy(d => d.CreatedAt).ToListAsync());
        Assert.Equal([("ops-mail", NotificationEvent.AlertFired), ("ops-mail", NotificationEvent.AlertResolved)], deliveries.Select(d => (d.ChannelKey, d.Event)));
        Assert.StartsWith("Resolved: Errors — lead-router", deliveries[1].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedDefaults_CreatesTheDefaultRulesOnce()
    {
        var first = await _bed.Rules.SeedDefaultsAsync();
        var second = await _bed.Rules.SeedDefaultsAsync();

        Assert.Equal((6, 0), (first, second));
        var rules = await _bed.Rules.ListAsync();
        Assert.Equal(Enum.GetValues<AlertKind>().Order(), rules.Select(r => r.Kind).Order());
        var errorRate = rules.Single(r => r.Kind == AlertKind.ErrorRate).Parameters;
        Assert.Equal((20.0, 60, 10), (errorRate.ThresholdPercent, errorRate.WindowMinutes, errorRate.MinRuns));
        Assert.True(rules.Single(r => r.Kind == AlertKind.DailySpend).Parameters.AllAgentsTogether);
        // Every default rule evaluates on an empty database without an error.
        var pass = await _bed.Evaluator.EvaluateAsync();
        Assert.Equal((6, 0, 0), (pass.Rules, pass.Fired, pass.Failed));
    }
}
