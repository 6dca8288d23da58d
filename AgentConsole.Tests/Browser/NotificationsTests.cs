using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Notifications;
using AgentConsole.Tests.Hosting;
using AgentConsole.Tests.Tools.Http;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task Reviewer_SeesTheOpenEscalationsBadgeGrow_WhenARunEscalates_WithoutReloading()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Reviewer);
        var open = host.Services.GetRequiredService<OpenEscalations>();
        var before = await open.CountAsync();
        var badge = session.NavLink("Escalations").GetByTestId("escalation-badge");
        await Expect(badge).ToHaveCountAsync(before == 0 ? 0 : 1);

        using var api = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var started = await api.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs", new JsonObject
        {
            ["input"] = new JsonObject { ["name"] = "Ravi Patel", ["email"] = "ravi@globex.example", ["company"] = "Globex", ["employees"] = 1200 },
        });
        started.EnsureSuccessStatusCode();

        // The run escalates on the job server; the badge follows the run update in this circuit. Other escalations (the
        // demo's) may arrive meanwhile, so the badge must come to show the database's count, above the one before.
        var shown = "";
        var actual = before;
        for (var attempt = 0; attempt < 150; attempt++)
        {
            actual = await open.CountAsync();
            shown = await badge.CountAsync() == 1 ? await badge.GetAttributeAsync("data-count") ?? "" : "";
            if (actual > before && shown == actual.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(actual > before, $"No new open escalation appeared (still {actual}).");
        Assert.Equal(actual.ToString(System.Globalization.CultureInfo.InvariantCulture), shown);
        await session.ScreenshotAsync(Roles.Reviewer, "nav-escalations-badge");
        session.AssertNoBrowserErrors();
    }
}
