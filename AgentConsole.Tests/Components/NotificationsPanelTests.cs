using AgentConsole.Components.Pages.Settings;
using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Tests.Tools.Email;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>An installation without the demo whose notifications are delivered only when a test (or a button) says so.</summary>
public sealed class NotificationsWorkspaceFixture : WorkspaceFixture
{
    protected override (string, string?)[] Settings =>
        [("AgentConsole:Demo:Seed", "false"), ("AgentConsole:Notifications:ProcessInBackground", "false"), ("AgentConsole:Notifications:MaxAttempts", "1")];
}

/// <summary>Settings → Notifications: field messages for bad channels, a saved channel whose secret is never shown, Send test.</summary>
public sealed class NotificationsPanelTests(NotificationsWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<NotificationsWorkspaceFixture>
{
    private const string HookToken = "T0-B0-secret-hook-token-77";

    private NotificationChannels Channels => workspace.Host.Services.GetRequiredService<NotificationChannels>();

    private IRenderedComponent<NotificationsPanel> RenderPanel()
    {
        Auth.SetAuthorized("admin@example.com");
        var panel = Render<NotificationsPanel>();
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=notification-channel][data-channel=in-app]")));
        return panel;
    }

    private static string FieldError(IRenderedComponent<NotificationsPanel> panel, string testId) =>
        panel.Find($"[data-testid=channel-form] .mud-input-control:has(input[data-testid={testId}]) .mud-input-helper-text.mud-input-error").TextContent.Trim();

    [Fact]
    public async Task BadEmailChannel_ShowsAMessagePerField_AndSavesNothing()
    {
        var panel = RenderPanel();
        panel.Find("[data-testid=channel-add]").Click();
        panel.Find("input[data-testid=channel-key]").Change("reviewers-mail");
        panel.Find("input[data-testid=channel-name]").Change("Reviewers");
        panel.Find("input[data-testid=channel-host]").Change("smtp.example.com");
        panel.Find("input[data-testid=channel-port]").Change("0");
        panel.Find("input[data-testid=channel-from]").Change("agents at example");
        panel.Find("input[data-testid=channel-recipients]").Change("ops@example.com, nope");

        panel.Find("[data-testid=channel-save]").Click();

        panel.WaitForAssertion(() => Assert.Contains("Port is 1–65535", FieldError(panel, "channel-port"), StringComparison.Ordinal));
        Assert.Contains("Sender must be one e-mail address", FieldError(panel, "channel-from"), StringComparison.Ordinal);
        Assert.Contains("'nope' is not an e-mail address", FieldError(panel, "channel-recipients"), StringComparison.Ordinal);
        Assert.Equal("Correct the marked fields.", panel.Find("[data-testid=channel-form-problem]").TextContent.Trim());
        Assert.DoesNotContain(await Channels.ListAsync(), c => c.Key == "reviewers-mail");
    }

    [Fact]
    public async Task Webhook_ThatIsNotHttp_IsRefused_ThenAGoodOneIsSaved_AndItsUrlIsNeverShownAgain()
    {
        var panel = RenderPanel();
        panel.Find("[data-testid=channel-add]").Click();
        panel.Find("input[data-testid=channel-kind-webhook]").Click();
        panel.Find("input[data-testid=channel-key]").Change("team-chat");
        panel.Find("input[data-testid=channel-name]").Change("Team chat");
        panel.Find("input[data-testid=channel-webhook-url]").Change("ftp://hooks.example.com/x");
        panel.Find("[data-testid=channel-save]").Click();
        panel.WaitForAssertion(() => Assert.Contains("absolute http:// or https://", FieldError(panel, "channel-webhook-url"), StringComparison.Ordinal));

        panel.Find("input[data-testid=channel-webhook-url]").Change($"https://hooks.example.com/services/{HookToken}");
        panel.Find("[data-testid=channel-save]").Click();

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=notification-channel][data-channel=team-chat]")));
        Assert.Empty(panel.FindAll("[data-testid=channel-form]"));
        var saved = (await Channels.FindAsync("team-chat"))!;
        Assert.Equal((NotificationChannelKind.Webhook, true, true), (saved.Kind, saved.WebhookUrlSet, saved.Enabled));
        Assert.DoesNotContain(HookToken, panel.Markup, StringComparison.Ordinal);

        // Editing shows that a URL is set, never the URL.
        panel.Find("[data-testid=notification-channel][data-channel=team-chat] [data-testid=channel-edit]").Click();
        Assert.Equal("", panel.Find("input[data-testid=channel-webhook-url]").GetAttribute("value") ?? "");
        Assert.Contains("Webhook URL (set — type to replace)", panel.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(HookToken, panel.Markup, StringComparison.Ordinal);
        await Channels.DeleteAsync("team-chat", "tests");
    }

    [Fact]
    public async Task SendTest_ShowsTheErrorOfAFailingChannel_AndTheDeliveryWithRetryNow()
    {
        var port = SmtpSink.FreePort();
        var created = await Channels.CreateAsync(new NotificationChannelEdit
        {
            Key = "dead-mail", Name = "Dead mail", Kind = NotificationChannelKind.Email, Host = "127.0.0.1", Port = port, Tls = SmtpTls.None,
            From = "agents@example.com", Recipients = "ops@example.com",
        }, "tests");
        Assert.Equal(NotificationChannelSaveOutcome.Saved, created.Outcome);
        try
        {
            var panel = RenderPanel();

            panel.Find("[data-testid=notification-channel][data-channel=dead-mail] [data-testid=channel-test]").Click();

            panel.WaitForAssertion(() => Assert.Equal("Failed", panel.Find("[data-testid=channel-test-result][data-channel=dead-mail]").GetAttribute("data-status")));
            var result = panel.Find("[data-testid=channel-test-result][data-channel=dead-mail]").TextContent;
            Assert.Contains("Test failed:", result, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{port}", result, StringComparison.Ordinal);
            var row = panel.Find("[data-testid=notification-delivery][data-channel=dead-mail]");
            Assert.Equal("Failed", row.GetAttribute("data-status"));
            Assert.NotNull(row.QuerySelector("[data-testid=delivery-retry]"));
            Assert.Equal("Failed", panel.Find("[data-testid=notification-channel][data-channel=dead-mail] [data-testid=delivery-status]").TextContent.Trim());

            // Retry now makes one more attempt at once; the server is still down, so the row counts it and stays Failed.
            row.QuerySelector("[data-testid=delivery-retry]")!.Click();
            panel.WaitForAssertion(() => Assert.Equal("2", panel.Find("[data-testid=notification-delivery][data-channel=dead-mail] [data-testid=delivery-attempts]").TextContent.Trim()));
            Assert.Equal("Failed", panel.Find("[data-testid=notification-delivery][data-channel=dead-mail]").GetAttribute("data-status"));
        }
        finally
        {
            await Channels.DeleteAsync("dead-mail", "tests");
        }
    }
}
