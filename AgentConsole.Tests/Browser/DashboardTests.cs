using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>A manager watches the dashboard while runs finish: the figures change over the circuit, without a reload.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class DashboardTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Dashboard_UpdatesItsFiguresLive_WhenARunFinishes()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Manager);
        await page.GetByTestId("period-today").ClickAsync();
        await Expect(page.GetByTestId("dashboard-controls")).ToBeVisibleAsync();
        var before = await RunsTodayAsync(page);
        // A marker that a page load would wipe: the figures must change while it is still there.
        await page.EvaluateAsync("() => window.__dashboardMarker = 'same page'");

        using var api = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var started = await api.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs", new JsonObject
        {
            ["input"] = new JsonObject { ["name"] = "Dana Lee", ["email"] = "dana@acme.example", ["company"] = "Acme GmbH", ["employees"] = 42, ["industry"] = "Software" },
        });
        started.EnsureSuccessStatusCode();
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<Guid>();
        await WaitForAsync(api, runId, "Succeeded");

        await Expect(page.GetByTestId("run-figures")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("kpi-runs").GetByTestId("kpi-value")).Not.ToHaveTextAsync(before.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 10_000 });
        Assert.True(await RunsTodayAsync(page) > before);
        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.__dashboardMarker"));
        await Expect(page.Locator($"[data-testid=agent-row][data-agent={DemoWorkspace.LeadRouterKey}]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-runs").Locator("svg").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("dashboard", "manager-today");

        await page.GetByTestId("period-30d").ClickAsync();
        await Expect(page.GetByTestId("day-row")).ToHaveCountAsync(30);
        await session.ScreenshotAsync("dashboard", "manager-30-days");
        session.AssertNoBrowserErrors();
    }

    private static async Task<int> RunsTodayAsync(IPage page)
    {
        var value = page.GetByTestId("kpi-runs").GetByTestId("kpi-value");
        var text = await value.CountAsync() == 0 ? "0" : await value.InnerTextAsync();
        return int.Parse(text.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForAsync(HttpClient api, Guid runId, string status)
    {
        JsonObject? run = null;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            run = await api.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}");
            if (run!["status"]!.GetValue<string>() == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Run {runId} did not reach {status}: {run?["status"]} {run?["reason"]}");
    }
}
