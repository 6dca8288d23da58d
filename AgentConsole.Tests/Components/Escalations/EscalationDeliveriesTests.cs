using AgentConsole.Components.Pages.Escalations;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Tools.Email;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using AgentConsole.Tests.Runs;

namespace AgentConsole.Tests.Components.Escalations;

/// <summary>The demo workspace with an e-mail channel whose server is down; notifications are delivered when the test says.</summary>
public sealed class BrokenMailWorkspaceFixture : WorkspaceFixture
{
    protected override (string, string?)[] Settings => [("AgentConsole:Notifications:ProcessInBackground", "false")];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var result = await Host.Services.GetRequiredService<NotificationChannels>().CreateAsync(new NotificationChannelEdit
        {
            Key = "reviewers-mail",
            Name = "Reviewers by e-mail",
            Kind = NotificationChannelKind.Email,
            Host = "127.0.0.1",
            Port = 1,
            Tls = SmtpTls.None,
            From = "agents@example.com",
        }, "admin@agentconsole.local");
        Assert.NotNull(result.Channel);
    }
}

/// <summary>A case's detail pane shows who was notified, and a channel that failed with its error and its next attempt.</summary>
public sealed class EscalationDeliveriesTests(BrokenMailWorkspaceFixture workspace) : QueueTestContext(workspace), IClassFixture<BrokenMailWorkspaceFixture>
{
    private const string EnterpriseLead = FakeProviderRuns.EnterpriseLead;

    [Fact]
    public async Task Detail_ShowsTheFailingChannel_AsRetried_AndTheInAppNoticeAsSent()
    {
        var run = await workspace.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, EnterpriseLead);
        var escalation = Assert.Single((await workspace.Host.ExecuteAsync(run)).Escalations);
        await workspace.Host.Services.GetRequiredService<NotificationDispatcher>().DispatchDueAsync(CancellationToken.None);

        var page = Render<EscalationsPage>(p => p.Add(c => c.Id, escalation.Id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=detail-delivery]").Count));
        var mail = page.FindAll("[data-testid=detail-delivery]").Single(r => r.TextContent.Contains("Reviewers by e-mail", StringComparison.Ordinal));
        Assert.Equal("Pending", mail.GetAttribute("data-status"));
        Assert.Contains("127.0.0.1:1", mail.TextContent, StringComparison.Ordinal);
        Assert.Contains("retried at", mail.TextContent, StringComparison.Ordinal);
        Assert.Contains(page.FindAll("[data-testid=detail-delivery]"), r => r.GetAttribute("data-status") == "Sent");
    }
}
