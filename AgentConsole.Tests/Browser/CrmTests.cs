using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The sandbox CRM page after a demo run: the lead the agent routed, its history and the run behind each change.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class CrmTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task CrmPage_ShowsTheLeadADemoRunRouted_AndItsChangesLinkToTheRun()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.ClickNavAsync("Runs");
        await Expect(page.GetByTestId("run-filters")).ToBeVisibleAsync();

        // A lead of a small seeded account, so the address is this test's own in the shared host.
        var email = $"kim.{Guid.NewGuid():N}"[..12] + "@umbrella.example";
        var input = new JsonObject { ["name"] = "Kim Crm", ["email"] = email, ["company"] = "Umbrella Ltd", ["employees"] = 8 };
        using var api = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var response = await api.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs", new JsonObject { ["input"] = input });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<Guid>();
        await Expect(page.Locator($"tr:has([data-run-id='{runId}'])").GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "Succeeded");

        await session.ClickNavAsync("CRM");
        await Expect(page.Locator("tr:has([data-company=Initech]) [data-testid=high-stakes]")).ToBeVisibleAsync();
        await page.GetByTestId("crm-leads").GetByPlaceholder("Search name, e-mail or company").FillAsync(email);
        await page.GetByTestId("crm-leads").GetByPlaceholder("Search name, e-mail or company").PressAsync("Enter");
        var row = page.Locator($"tr:has([data-email='{email}'])");
        await Expect(row.GetByTestId("lead-route")).ToHaveTextAsync("SMB sequence");
        await Expect(row.GetByTestId("lead-status")).ToHaveAttributeAsync("data-status", "Routed");
        await session.ScreenshotAsync("crm", "crm-page");

        await row.GetByTestId("lead-row").ClickAsync();

        await Expect(page.GetByTestId("lead-owner")).ToHaveTextAsync("Sales EMEA");
        await Expect(page.GetByTestId("change-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("change-run-link").First).ToHaveAttributeAsync("href", $"/runs/{runId}");
        await Expect(page.Locator("[data-testid=history-row][data-to=Routed]")).ToHaveCountAsync(1);
        await session.ScreenshotAsync("crm", "crm-lead");
        session.AssertNoBrowserErrors();
    }
}
