using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Hosting;
using AgentConsole.Tests.Triggers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>An Owner creates a webhook trigger, keeps its secret from the one dialog that shows it, filters, tests and watches it.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed partial class TriggersTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private static ILocator Tab(IPage page, string name) =>
        page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { NameRegex = new Regex($"^{name}") });

    private static async Task PickAsync(IPage page, string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = option, Exact = true }).ClickAsync();
        // The select commits its value after closing its popover.
        await Expect(page.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
    }

    private Task ReceiveAsync(string key, params JsonObject[] payloads) => TriggerInboxDriver.DeliverAsync(host.Services, key, "browser-test", payloads);

    [Fact]
    public async Task Owner_CreatesAWebhookTrigger_SeesTheSecretOnce_FiltersTestsAndWatchesItsActivity()
    {
        var name = $"Browser hook {Guid.NewGuid():N}"[..20];
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.ClickNavAsync("Triggers");
        await page.GetByTestId("new-trigger").ClickAsync();
        await Expect(page).ToHaveURLAsync(BrowserSession.PathIs("/triggers/new"));

        await PickAsync(page, "trigger-agent", "Inbound lead router");
        await PickAsync(page, "trigger-kind", "Webhook");
        await page.GetByTestId("trigger-name").FillAsync(name);
        await Expect(page.GetByTestId("setting-auth")).ToBeVisibleAsync();
        await session.ScreenshotAsync("triggers", "trigger-new");
        await page.GetByTestId("trigger-create").ClickAsync();

        // The secret: shown once, with a copy button and a signed curl example.
        var secret = page.GetByTestId("trigger-secret-value");
        await Expect(secret).ToHaveTextAsync(new Regex("^whsec_[A-Za-z0-9_-]{40,}$"));
        var value = await secret.TextContentAsync();
        await Expect(page.GetByTestId("trigger-curl")).ToContainTextAsync("X-AgentConsole-Signature: sha256=");
        await Expect(page.GetByTestId("trigger-curl")).ToContainTextAsync(value!);
        await Expect(page.GetByTestId("trigger-secret-copy")).ToBeVisibleAsync();
        await session.ScreenshotAsync("triggers", "trigger-secret-once");
        await page.GetByTestId("trigger-secret-done").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/triggers/lead-router-browser-hook-[0-9a-f]+$"));
        var key = new Uri(page.Url).AbsolutePath.Split('/')[^1];
        await Expect(page.GetByTestId("trigger-url")).ToHaveValueAsync(new Regex($"/hooks/{key}$"));
        await Expect(page.GetByText(value!)).ToHaveCountAsync(0);
        await session.ScreenshotAsync("triggers", "trigger-settings");
        await session.GotoAsync($"/triggers/{key}");
        Assert.DoesNotContain(value!, await page.ContentAsync(), StringComparison.Ordinal);

        // Filter: one condition, previewed live against the kind's sample payload, then saved.
        await Tab(page, "Filter").ClickAsync();
        await page.GetByTestId("filter-add-row").ClickAsync();
        await page.GetByTestId("filter-path").FillAsync("source");
        await page.GetByTestId("filter-value").FillAsync("fax");
        await Expect(page.GetByTestId("filter-preview").GetByTestId("evaluation-reason")).ToHaveTextAsync("source is \"website\", which does not pass \"fax\"");
        await page.GetByTestId("filter-value").FillAsync("website");
        await Expect(page.GetByTestId("filter-preview").GetByTestId("evaluation-outcome")).ToContainTextAsync("Matched");
        await Expect(page.GetByTestId("filter-preview").GetByTestId("evaluation-input")).ToContainTextAsync("\"employees\": 120");
        await session.ScreenshotAsync("triggers", "trigger-filter");
        await page.GetByTestId("tab-filter").GetByTestId("trigger-save").ClickAsync();
        await Expect(page.GetByText("revision 2").First).ToBeVisibleAsync();
        var stored = await host.Services.GetRequiredService<TriggerCatalog>().FindAsync(key);
        Assert.Equal(new TriggerCondition("source", "\"website\""), Assert.Single(TriggerFilter.FromJson(stored!.FilterJson)!.Conditions));

        // Test this trigger: the saved filter on the sample payload, nothing stored.
        await page.GetByTestId("trigger-test").ClickAsync();
        await Expect(page.GetByTestId("trigger-test-result")).ToContainTextAsync("Matched");

        await Tab(page, "Mapping").ClickAsync();
        await Expect(page.GetByTestId("mapping-row")).ToHaveCountAsync(8);
        await session.ScreenshotAsync("triggers", "trigger-mapping");

        var lead = new JsonObject
        {
            ["name"] = "Dana Whitfield", ["email"] = "dana@acme.example", ["company"] = "Acme GmbH", ["employees"] = 120,
            ["industry"] = "SaaS", ["source"] = "website", ["message"] = "A demo, please.",
        };
        var fax = (JsonObject)lead.DeepClone();
        fax["source"] = "fax";
        await ReceiveAsync(key, lead, fax);

        await session.GotoAsync($"/triggers/{key}?tab=activity");
        var rows = page.GetByTestId("activity-event-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=activity-event-row][data-status=FilteredOut]")).ToContainTextAsync("which does not pass \"website\"");
        await Expect(page.GetByTestId("activity-total")).ToContainTextAsync("Total");
        await Expect(page.GetByTestId("activity-day")).ToHaveCountAsync(14);
        await Expect(page.GetByTestId("activity-chart").Locator("svg").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("triggers", "trigger-activity");

        // The run it started says so and links back.
        await page.GetByTestId("activity-run-link").ClickAsync();
        await Expect(page.GetByTestId("run-trigger")).ToContainTextAsync(key);
        await session.ScreenshotAsync("triggers", "run-started-by-trigger");

        await session.GotoAsync("/triggers?agent=lead-router");
        await Expect(page.GetByTestId("triggers-table")).ToContainTextAsync(name);
        await session.ScreenshotAsync("triggers", "triggers-list");
        session.AssertNoBrowserErrors();
    }
}
