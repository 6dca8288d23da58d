using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Tests.Runs;
using AgentConsole.Tests.Tools.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Escalations;

/// <summary>
/// An escalation's whole notification path with a real SMTP server on loopback: raised → the agent's reviewers get an
/// e-mail with the deep link; the SLA's reminder and its default action are mailed too; a failing channel never stops
/// the escalation itself.
/// </summary>
public sealed class EscalationNotificationTests : IDisposable
{
    private const string EnterpriseLead = FakeProviderRuns.EnterpriseLead;
    private const string BaseUrl = "https://console.example.com";
    private readonly RunFolders _folders = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folders.Dispose();

    private async Task<RunHost> StartAsync() => await RunHost.StartAsync(_folders.New(), _time,
        ("AgentConsole:Notifications:ProcessInBackground", "false"), ("AgentConsole:Notifications:PublicBaseUrl", BaseUrl));

    private static async Task AddEmailAsync(RunHost host, string key, string server, int port)
    {
        var result = await host.Services.GetRequiredService<NotificationChannels>().CreateAsync(new NotificationChannelEdit
        {
            Key = key,
            Name = "Reviewers by e-mail",
            Kind = NotificationChannelKind.Email,
            Host = server,
            Port = port,
            Tls = SmtpTls.None,
            From = "agents@example.com",
        }, "admin@agentconsole.local");
        Assert.NotNull(result.Channel);
    }

    [Fact]
    public async Task RaisedEscalation_MailsTheAgentsReviewers_WithTheDeepLink_ThenTheReminderAndTheDefaultAction()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var host = await StartAsync();
        await AddEmailAsync(host, "reviewers-mail", sink.Host, sink.Port);
        await host.UpdateDemoAgentAsync(a =>
        {
            a.Escalation.SlaMinutes = 60;
            a.Escalation.ReminderMinutesBefore = 15;
            a.Escalation.DefaultAction = EscalationDefaultAction.Reject;
        });
        var dispatcher = host.Services.GetRequiredService<NotificationDispatcher>();
        var deadlines = host.Services.GetRequiredService<EscalationDeadlines>();

        var run = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        var escalation = Assert.Single((await host.ExecuteAsync(run)).Escalations);
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var raised = Assert.Single(await sink.WaitForMailAsync(1));

        Assert.Contains($"{BaseUrl}/escalations/{escalation.Id}", raised.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Inbound lead router", raised.Message.Subject, StringComparison.Ordinal);
        // The demo policy's reviewing roles are Reviewer and Owner: the demo's reviewer and owner get it.
        Assert.Equal(["owner@agentconsole.local", "reviewer@agentconsole.local"], raised.EnvelopeTo.Order());

        _time.Advance(TimeSpan.FromMinutes(46));
        await deadlines.SweepAsync();
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(15));
        await deadlines.SweepAsync();
        await dispatcher.DispatchDueAsync(CancellationToken.None);

        var mails = await sink.WaitForMailAsync(3);
        Assert.Contains(mails, m => (m.Message.Subject ?? "").StartsWith("Reminder: due in 14 min", StringComparison.Ordinal));
        Assert.Contains(mails, m => (m.Message.TextBody ?? "").Contains("the default action was applied: rejected; the run ends", StringComparison.Ordinal));
        var deliveries = await host.Services.GetRequiredService<NotificationDeliveries>().ForEscalationAsync(escalation.Id);
        Assert.Contains(deliveries, d => d.Event == NotificationEvent.DefaultApplied && d.Status == NotificationDeliveryStatus.Sent);
    }

    [Fact]
    public async Task AChannelThatFails_IsRetriedAndShown_AndTheEscalationStillWaitsForAPerson()
    {
        await using var host = await StartAsync();
        await AddEmailAsync(host, "broken-mail", "127.0.0.1", 1);

        var run = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        var detail = await host.ExecuteAsync(run);
        await host.Services.GetRequiredService<NotificationDispatcher>().DispatchDueAsync(CancellationToken.None);

        var escalation = Assert.Single(detail.Escalations);
        Assert.True(escalation.IsOpen);
        var deliveries = await host.Services.GetRequiredService<NotificationDeliveries>().ForEscalationAsync(escalation.Id);
        var mail = Assert.Single(deliveries, d => d.ChannelKey == "broken-mail");
        Assert.Equal(NotificationDeliveryStatus.Pending, mail.Status);
        Assert.NotNull(mail.LastError);
        Assert.NotNull(mail.NextAttemptAt);
        Assert.Contains(deliveries, d => d.Kind == NotificationChannelKind.InApp && d.Status == NotificationDeliveryStatus.Sent);
    }
}
