using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Persistence;
using AgentConsole.Tests.Tools.Email;
using AgentConsole.Tests.Tools.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Notifications;

/// <summary>
/// Escalation notifications end to end over real servers on loopback: e-mail to aiosmtpd, webhooks to Kestrel, retries on
/// the backoff with a fake clock, the audit of a delivery that gives up, and secrets that never leave the channel.
/// </summary>
public sealed class NotificationDeliveryTests
{
    private const string HookToken = "T000-B000-hook-secret-9f8e7d";
    private const string SmtpPassword = "smtp-pass-never-shown-42";

    [Fact]
    public async Task Email_IsReceivedBySmtpServer_WithAgentReasonAndDeepLink_ToReviewersOrTheFixedList()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var bed = await NotificationTestBed.StartAsync();
        await bed.AddEmailAsync("reviewers-mail", sink.Host, sink.Port);
        await bed.AddEmailAsync("ops-mail", sink.Host, sink.Port, recipients: "ops@example.com, lead@example.com");
        var escalation = Guid.NewGuid();

        await bed.QueueAsync(NotificationTestBed.Notice(escalation, ["reviewers-mail", "ops-mail"], ["rita@example.com", "not an address"]));
        Assert.Equal(2, await bed.Dispatcher.DispatchDueAsync(CancellationToken.None));

        var mails = await sink.WaitForMailAsync(2);
        var link = $"{NotificationTestBed.BaseUrl}/escalations/{escalation}";
        foreach (var mail in mails)
        {
            Assert.Contains("Inbound lead router", mail.Message.Subject, StringComparison.Ordinal);
            Assert.Contains("Large account (1,200 employees) needs a person", mail.Message.Subject, StringComparison.Ordinal);
            Assert.Contains(link, mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Reason: Large account (1,200 employees) needs a person", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("Due: 2026-12-07 13:00 UTC", mail.Message.TextBody, StringComparison.Ordinal);
            Assert.Equal("agents@example.com", mail.EnvelopeFrom);
        }

        Assert.Contains(mails, m => m.EnvelopeTo.SequenceEqual(["rita@example.com"]));
        Assert.Contains(mails, m => m.EnvelopeTo.Order().SequenceEqual(["lead@example.com", "ops@example.com"]));
        var views = await bed.Deliveries.ForEscalationAsync(escalation);
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.Equal((NotificationDeliveryStatus.Sent, 1, (string?)null), (v.Status, v.Attempts, v.LastError)));
    }

    [Fact]
    public async Task Webhook_PostsSlackCompatibleText_WithTheDeepLink()
    {
        await using var api = await FakeApi.StartAsync();
        await using var bed = await NotificationTestBed.StartAsync();
        await bed.AddWebhookAsync("team-chat", api.Url($"/items?token={HookToken}"));
        var escalation = Guid.NewGuid();

        await bed.QueueAsync(NotificationTestBed.Notice(escalation, ["team-chat"], evt: NotificationEvent.Reminder,
            due: bed.Time.GetUtcNow().AddMinutes(30)));
        await bed.Dispatcher.DispatchDueAsync(CancellationToken.None);

        var request = Assert.Single(api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/items?token={HookToken}", request.PathAndQuery);
        var body = JsonNode.Parse(request.Body)!.AsObject();
        Assert.Equal(["text"], body.Select(p => p.Key));
        var text = body["text"]!.GetValue<string>();
        Assert.Contains($"{NotificationTestBed.BaseUrl}/escalations/{escalation}", text, StringComparison.Ordinal);
        Assert.Contains("Reminder: due in 30 min", text, StringComparison.Ordinal);
        Assert.Contains("Inbound lead router", text, StringComparison.Ordinal);
        Assert.Equal(NotificationDeliveryStatus.Sent, Assert.Single(await bed.Deliveries.ForEscalationAsync(escalation)).Status);
    }

    [Fact]
    public async Task FailingChannel_IsRetriedOnTheBackoff_EndsFailedAfterMaxAttempts_AuditedOnce_WhileTheOtherChannelIsSent()
    {
        await using var api = await FakeApi.StartAsync();
        await using var bed = await NotificationTestBed.StartAsync(("AgentConsole:Notifications:MaxAttempts", "3"));
        var closedPort = SmtpSink.FreePort();
        await bed.AddEmailAsync("dead-mail", "127.0.0.1", closedPort);
        await bed.AddWebhookAsync("team-chat", api.Url("/items"));
        var escalation = Guid.NewGuid();
        await bed.QueueAsync(NotificationTestBed.Notice(escalation, ["dead-mail", "team-chat"]));

        // First pass: the webhook is delivered although the e-mail fails beside it.
        Assert.Equal(2, await bed.Dispatcher.DispatchDueAsync(CancellationToken.None));
        var first = await bed.Deliveries.ForEscalationAsync(escalation);
        Assert.Equal(NotificationDeliveryStatus.Sent, first.Single(d => d.ChannelKey == "team-chat").Status);
        var mail = first.Single(d => d.ChannelKey == "dead-mail");
        Assert.Equal((NotificationDeliveryStatus.Pending, 1), (mail.Status, mail.Attempts));
        Assert.Contains($"127.0.0.1:{closedPort}", mail.LastError, StringComparison.Ordinal);
        Assert.Equal(bed.Time.GetUtcNow().AddSeconds(30), mail.NextAttemptAt);

        // Not due yet: nothing is attempted until the backoff has passed.
        bed.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await bed.Dispatcher.DispatchDueAsync(CancellationToken.None));
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await bed.Dispatcher.DispatchDueAsync(CancellationToken.None));
        mail = (await bed.Deliveries.ForEscalationAsync(escalation)).Single(d => d.ChannelKey == "dead-mail");
        Assert.Equal((NotificationDeliveryStatus.Pending, 2), (mail.Status, mail.Attempts));
        Assert.Equal(bed.Time.GetUtcNow().AddMinutes(2), mail.NextAttemptAt);
        Assert.Empty(await bed.AuditAsync("notification.failed"));

        bed.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await bed.Dispatcher.DispatchDueAsync(CancellationToken.None));
        mail = (await bed.Deliveries.ForEscalationAsync(escalation)).Single(d => d.ChannelKey == "dead-mail");
        Assert.Equal((NotificationDeliveryStatus.Failed, 3, (DateTimeOffset?)null), (mail.Status, mail.Attempts, mail.NextAttemptAt));
        Assert.Contains("Could not connect", mail.LastError, StringComparison.Ordinal);
        Assert.Equal("Mail dead-mail", mail.ChannelName);
        Assert.Equal(NotificationChannelKind.Email, mail.Kind);

        // Given up: no more attempts, however long we wait; one audit entry says so.
        bed.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, await bed.Dispatcher.DispatchDueAsync(CancellationToken.None));
        var audited = Assert.Single(await bed.AuditAsync("notification.failed"));
        Assert.Equal("system", audited.Actor);
        Assert.Contains("dead-mail", audited.Summary, StringComparison.Ordinal);
        Assert.Equal(escalation.ToString(), JsonNode.Parse(audited.Payload)!["escalationId"]!.GetValue<string>());
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task QueueAsync_AddsOneRowPerEnabledChannel_SkipsDisabledAndUnknown_AndCommitsOnlyWithTheCaller()
    {
        await using var bed = await NotificationTestBed.StartAsync();
        await bed.AddEmailAsync("mail-a", "127.0.0.1", 2525);
        var hook = await bed.AddWebhookAsync("hook-b", new Uri("https://hooks.example.com/services/x"));
        var disable = NotificationChannelEdit.Of(hook);
        disable.Enabled = false;
        Assert.Equal(NotificationChannelSaveOutcome.Saved, (await bed.Channels.UpdateAsync("hook-b", disable, NotificationTestBed.Admin)).Outcome);
        var factory = bed.Host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>();

        // The caller's transaction rolls back (it never saves): no delivery exists.
        var abandoned = Guid.NewGuid();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await bed.Notifier.QueueAsync(db, NotificationTestBed.Notice(abandoned));
            Assert.Equal(2, db.ChangeTracker.Entries<NotificationDelivery>().Count());
        }

        Assert.Empty(await bed.Deliveries.ForEscalationAsync(abandoned));

        // No channel named = every enabled channel: the built-in in-app one and mail-a, not the disabled hook.
        var all = Guid.NewGuid();
        await bed.QueueAsync(NotificationTestBed.Notice(all));
        Assert.Equal(["in-app", "mail-a"], (await bed.Deliveries.ForEscalationAsync(all)).Select(d => d.ChannelKey).Order(StringComparer.Ordinal));

        // Named channels: only those that exist and are enabled; the unknown one is logged.
        var named = Guid.NewGuid();
        await bed.QueueAsync(NotificationTestBed.Notice(named, ["hook-b", "no-such-channel", "mail-a"]));
        var rows = await bed.Deliveries.ForEscalationAsync(named);
        Assert.Equal(["mail-a"], rows.Select(d => d.ChannelKey));
        Assert.All(rows, r => Assert.Equal((NotificationDeliveryStatus.Pending, 0, NotificationEvent.Raised), (r.Status, r.Attempts, r.Event)));
        Assert.Contains(bed.Logs.Lines, l => l.Contains("no-such-channel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InApp_PublishesTheEscalation_AndIsSentAtOnce()
    {
        await using var bed = await NotificationTestBed.StartAsync();
        var published = new List<InAppNotification>();
        bed.InApp.Published += published.Add;
        // A subscriber that throws (a closed circuit) neither stops the others nor fails the delivery.
        bed.InApp.Published += _ => throw new InvalidOperationException("circuit gone");
        var escalation = Guid.NewGuid();

        await bed.QueueAsync(NotificationTestBed.Notice(escalation, [NotificationChannel.InAppKey]));
        await bed.Dispatcher.DispatchDueAsync(CancellationToken.None);

        var notification = Assert.Single(published);
        Assert.Equal((escalation, "Inbound lead router", NotificationEvent.Raised), (notification.EscalationId, notification.AgentName, notification.Event));
        Assert.Equal("Large account (1,200 employees) needs a person", notification.Reason);
        Assert.Equal($"{NotificationTestBed.BaseUrl}/escalations/{escalation}", notification.Link);
        Assert.Equal(NotificationDeliveryStatus.Sent, Assert.Single(await bed.Deliveries.ForEscalationAsync(escalation)).Status);
    }

    [Fact]
    public async Task Secrets_NeverAppearInViews_Deliveries_Logs_OrTheAudit()
    {
        await using var api = await FakeApi.StartAsync();
        await using var bed = await NotificationTestBed.StartAsync(("AgentConsole:Notifications:MaxAttempts", "1"));
        var hookUrl = api.Url($"/status/500?token={HookToken}");
        await bed.AddWebhookAsync("broken-hook", hookUrl);
        await bed.AddEmailAsync("auth-mail", "127.0.0.1", SmtpSink.FreePort(), username: "mailer", password: SmtpPassword);
        var escalation = Guid.NewGuid();

        await bed.QueueAsync(NotificationTestBed.Notice(escalation, ["broken-hook", "auth-mail"]));
        await bed.Dispatcher.DispatchDueAsync(CancellationToken.None);
        var test = await bed.Channels.SendTestAsync("broken-hook", NotificationTestBed.Admin);

        // The hook was really called with its secret URL, and failed.
        Assert.Equal(2, api.Requests.Count);
        Assert.Equal(NotificationDeliveryStatus.Failed, test!.Status);
        Assert.StartsWith($"The webhook at {hookUrl.Host} answered 500", test.LastError, StringComparison.Ordinal);
        var deliveries = await bed.Deliveries.ForEscalationAsync(escalation);
        Assert.All(deliveries, d => Assert.Equal(NotificationDeliveryStatus.Failed, d.Status));
        var channels = await bed.Channels.ListAsync();
        Assert.True(channels.Single(c => c.Key == "broken-hook").WebhookUrlSet);
        Assert.True(channels.Single(c => c.Key == "auth-mail").PasswordSet);

        var shown = JsonSerializer.Serialize(new object[] { channels, deliveries, test, await bed.Deliveries.RecentAsync(0, 50) });
        var stored = await bed.Host.QueryAsync(db => db.NotificationChannels.Select(c => c.SettingsJson + c.ProtectedSecrets).ToListAsync());
        var audit = (await bed.Host.QueryAsync(async db =>
        {
            await bed.Host.Services.GetRequiredService<Engine.Audit.AuditChain>().SealPendingAsync();
            return await db.AuditEvents.Select(e => e.Summary + e.Payload).ToListAsync();
        })).ToList();
        Assert.Contains(audit, a => a.Contains("notification.failed", StringComparison.Ordinal) || a.Contains("broken-hook", StringComparison.Ordinal));
        foreach (var secret in new[] { HookToken, SmtpPassword, hookUrl.PathAndQuery })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, bed.Logs.All, StringComparison.Ordinal);
            Assert.All(audit, a => Assert.DoesNotContain(secret, a, StringComparison.Ordinal));
            Assert.All(stored, s => Assert.DoesNotContain(secret, s, StringComparison.Ordinal));
        }

        Assert.Contains(bed.Logs.Lines, l => l.Contains("broken-hook", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendTest_Email_GoesToTheAdminWhoPressedIt_WhenTheChannelHasNoFixedRecipients()
    {
        await using var sink = await SmtpSink.StartAsync("mailer", SmtpPassword);
        await using var bed = await NotificationTestBed.StartAsync();
        await bed.AddEmailAsync("reviewers-mail", sink.Host, sink.Port, username: "mailer", password: SmtpPassword);

        var result = await bed.Channels.SendTestAsync("reviewers-mail", NotificationTestBed.Admin);

        Assert.Equal((NotificationDeliveryStatus.Sent, NotificationEvent.Test, (string?)null), (result!.Status, result.Event, result.LastError));
        var mail = Assert.Single(await sink.WaitForMailAsync());
        Assert.Equal([NotificationTestBed.Admin], mail.EnvelopeTo);
        Assert.StartsWith("Test notification from AgentConsole", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains($"{NotificationTestBed.BaseUrl}/escalations", mail.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryNow_SendsAFailedDelivery_OnceTheChannelIsFixed()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var bed = await NotificationTestBed.StartAsync(("AgentConsole:Notifications:MaxAttempts", "1"));
        var channel = await bed.AddEmailAsync("mail", "127.0.0.1", SmtpSink.FreePort());
        var escalation = Guid.NewGuid();
        await bed.QueueAsync(NotificationTestBed.Notice(escalation, ["mail"]));
        await bed.Dispatcher.DispatchDueAsync(CancellationToken.None);
        var failed = Assert.Single(await bed.Deliveries.ForEscalationAsync(escalation));
        Assert.Equal(NotificationDeliveryStatus.Failed, failed.Status);

        var fix = NotificationChannelEdit.Of(channel);
        fix.Port = sink.Port;
        Assert.Equal(NotificationChannelSaveOutcome.Saved, (await bed.Channels.UpdateAsync("mail", fix, NotificationTestBed.Admin)).Outcome);
        var retried = await bed.Deliveries.RetryNowAsync(failed.Id, NotificationTestBed.Admin);

        Assert.Equal((NotificationDeliveryStatus.Sent, 2), (retried!.Status, retried.Attempts));
        Assert.Single(await sink.WaitForMailAsync());
        Assert.Single(await bed.AuditAsync("notification.retried"));
    }

    [Fact]
    public async Task Channels_RefuseBadInput_WithAMessagePerField()
    {
        await using var bed = await NotificationTestBed.StartAsync();

        var mail = await bed.Channels.CreateAsync(new NotificationChannelEdit
        {
            Key = "Bad Key!", Name = "", Kind = NotificationChannelKind.Email, Host = "", Port = 0, From = "not-an-address",
            Recipients = "ok@example.com, nope", Username = "mailer",
        }, NotificationTestBed.Admin);
        var hook = await bed.Channels.CreateAsync(new NotificationChannelEdit { Key = "hook", Name = "Hook", Kind = NotificationChannelKind.Webhook, WebhookUrl = "ftp://example.com/x" }, NotificationTestBed.Admin);
        var inApp = await bed.Channels.CreateAsync(new NotificationChannelEdit { Key = NotificationChannel.InAppKey, Name = "Again", Kind = NotificationChannelKind.InApp }, NotificationTestBed.Admin);

        Assert.Equal(NotificationChannelSaveOutcome.Invalid, mail.Outcome);
        Assert.Equal(["from", "host", "key", "name", "password", "port", "recipients"], mail.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'nope'", mail.Errors["recipients"][0], StringComparison.Ordinal);
        Assert.Equal(["webhookUrl"], hook.Errors.Keys);
        Assert.Equal(["key", "kind"], inApp.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(NotificationChannelSaveOutcome.Conflict, (await bed.Channels.DeleteAsync(NotificationChannel.InAppKey, NotificationTestBed.Admin)).Outcome);
        Assert.Equal([NotificationChannel.InAppKey], (await bed.Channels.ListAsync()).Select(c => c.Key));
    }

    [Fact]
    public async Task Email_WithNobodyToMail_FailsAtOnce_WithAClearError_AndNoRetry()
    {
        await using var bed = await NotificationTestBed.StartAsync();
        await bed.AddEmailAsync("reviewers-mail", "127.0.0.1", SmtpSink.FreePort());
        var escalation = Guid.NewGuid();

        await bed.QueueAsync(NotificationTestBed.Notice(escalation, ["reviewers-mail"], reviewers: []));
        await bed.Dispatcher.DispatchDueAsync(CancellationToken.None);

        var delivery = Assert.Single(await bed.Deliveries.ForEscalationAsync(escalation));
        Assert.Equal((NotificationDeliveryStatus.Failed, 1), (delivery.Status, delivery.Attempts));
        Assert.StartsWith("Nobody to e-mail: channel 'reviewers-mail' has no fixed recipients", delivery.LastError, StringComparison.Ordinal);
        Assert.Single(await bed.AuditAsync("notification.failed"));
    }

    [Fact]
    public void Text_SaysWhatHappened_ForEachEvent()
    {
        var now = new DateTimeOffset(2026, 12, 7, 12, 50, 0, TimeSpan.Zero);
        var baseUri = new Uri("https://console.example.com/");
        var raised = NotificationTestBed.Notice(Guid.Empty, due: now.AddMinutes(10));

        var reminder = NotificationText.For(raised with { Event = NotificationEvent.Reminder }, baseUri, now);
        var applied = NotificationText.For(raised with { Event = NotificationEvent.DefaultApplied, Outcome = "rejected (the action is not reversible)" }, baseUri, now);
        var noSla = NotificationText.For(raised with { DueAt = null }, baseUri, now);

        Assert.StartsWith("Reminder: due in 10 min — Inbound lead router: Large account", reminder.Subject, StringComparison.Ordinal);
        Assert.Contains("the default action was applied: rejected (the action is not reversible).", applied.Body, StringComparison.Ordinal);
        Assert.StartsWith("Default action applied — Inbound lead router", applied.Subject, StringComparison.Ordinal);
        Assert.StartsWith("New escalation — Inbound lead router", noSla.Subject, StringComparison.Ordinal);
        Assert.Contains("Due: no SLA", noSla.Body, StringComparison.Ordinal);
        Assert.All([reminder, applied, noSla], t => Assert.Equal($"https://console.example.com/escalations/{Guid.Empty}", t.Link));
    }

    [Fact]
    public void Options_RefuseAPublicBaseUrlThatIsNotAnAbsoluteHttpUrl()
    {
        foreach (var bad in new[] { "console.example.com", "ftp://console.example.com", "https://console.example.com/?x=1" })
        {
            var options = new NotificationOptions { PublicBaseUrl = bad };
            Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        }

        var good = new NotificationOptions { PublicBaseUrl = "https://console.example.com/agents/" };
        Assert.Empty(good.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(good)));
        Assert.Equal("https://console.example.com/agents/escalations/" + Guid.Empty, NotificationText.LinkTo(good.LinkBase(), Guid.Empty));
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(1)],
            Enumerable.Range(1, 6).Select(good.DelayAfter));
    }
}
