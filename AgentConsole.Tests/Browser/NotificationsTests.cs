using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;
using AgentConsole.Tests.Tools.Http;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>Settings → Notifications in a real browser: an Admin adds a webhook channel, tests it, and tests the in-app channel.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class NotificationsTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Admin_AddsAWebhookChannel_SendsATest_AndSeesTheInAppSnackbar()
    {
        await using var api = await FakeApi.StartAsync();
        var key = $"chat-{Guid.NewGuid():N}"[..12];
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Admin);
        await session.ClickNavAsync("Settings");
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Notifications", Exact = true }).ClickAsync();

        await page.GetByTestId("channel-add").ClickAsync();
        await page.GetByTestId("channel-kind-webhook").CheckAsync();
        await page.GetByTestId("channel-key").FillAsync(key);
        await page.GetByTestId("channel-name").FillAsync("Team chat");
        await page.GetByTestId("channel-webhook-url").FillAsync("not a url");
        await page.GetByTestId("channel-save").ClickAsync();
        await Expect(page.GetByTestId("channel-form")).ToContainTextAsync("Webhook URL must be an absolute http:// or https:// address.");
        await session.ScreenshotAsync(Roles.Admin, "settings-notifications-invalid");

        await page.GetByTestId("channel-webhook-url").FillAsync(api.Url("/items?token=browser-secret").ToString());
        await page.GetByTestId("channel-save").ClickAsync();
        var row = page.Locator($"[data-testid=notification-channel][data-channel={key}]");
        await Expect(row).ToContainTextAsync("Team chat");
        await Expect(page.GetByTestId("channel-form")).ToHaveCountAsync(0);

        await row.GetByTestId("channel-test").ClickAsync();
        await Expect(page.Locator($"[data-testid=channel-test-result][data-channel={key}]")).ToContainTextAsync("Test sent through Team chat.");
        Assert.Contains(api.Requests, r => r.Method == "POST" && r.Body.Contains("Test notification from AgentConsole", StringComparison.Ordinal));

        // The in-app channel's test reaches this Admin's own circuit as a snackbar.
        await page.Locator("[data-testid=notification-channel][data-channel=in-app]").GetByTestId("channel-test").ClickAsync();
        await Expect(page.GetByTestId("escalation-snackbar")).ToContainTextAsync("Test notification: in-app notifications reach you here.");
        await Expect(page.Locator("[data-testid=notification-delivery][data-status=Sent]").First).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync("browser-secret");
        await session.ScreenshotAsync(Roles.Admin, "settings-notifications");

        await row.GetByTestId("channel-delete").ClickAsync();
        await row.GetByTestId("channel-delete-confirm").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        session.AssertNoBrowserErrors();
    }
}
