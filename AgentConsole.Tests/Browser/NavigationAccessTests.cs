using Microsoft.Extensions.DependencyInjection;
using AgentConsole.Access;
using AgentConsole.Components.Layout;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>What each role sees in the console and where it is turned away, driven through a real browser.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class NavigationAccessTests(ConsoleHostFixture host, BrowserFixture browser)
{
    public static TheoryData<string> AllRoles => new(Roles.All);

    /// <summary>Admin may open every page, so only the other roles have something to be refused.</summary>
    public static TheoryData<string> RestrictedRoles =>
        new(Roles.All.Where(role => Navigation.Items.Any(item => !Policies.Allows(item.Policy, [role]))));

    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task SignIn_ShowsOnlyAllowedNavigation_ForEachRole(string role)
    {
        var allowed = Navigation.Items.Where(item => Policies.Allows(item.Policy, [role])).ToList();
        await using var session = await BrowserSession.StartAsync(browser, host);

        await session.SignInAsync(role);

        await Expect(session.Page.GetByTestId("user-role")).ToHaveTextAsync(role);
        var navLinks = session.Page.GetByTestId("nav").Locator("[data-nav]");
        await Expect(navLinks).ToHaveCountAsync(allowed.Count);
        var shown = await navLinks.EvaluateAllAsync<string[]>("links => links.map(link => link.getAttribute('data-nav'))");
        Assert.Equal(allowed.Select(item => item.Title), shown);
        session.AssertNoBrowserErrors();
    }

    [Theory]
    [MemberData(nameof(AllRoles))]
    public async Task NavClick_OpensEveryAllowedPage_ForEachRole(string role)
    {
        var allowed = Navigation.Items.Where(item => Policies.Allows(item.Policy, [role])).ToList();
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(role);

        foreach (var item in allowed)
        {
            await session.ClickNavAsync(item.Title);

            await Expect(session.Page).ToHaveURLAsync(BrowserSession.PathIs(item.Href));
            await Expect(session.Heading).ToHaveTextAsync(item.Title);
            await Expect(session.Page).ToHaveTitleAsync($"{item.Title} · AgentConsole");
            await Expect(session.NavLink(item.Title)).ToHaveAttributeAsync("aria-current", "page");
            await Expect(session.Page.GetByTestId("page-error")).ToHaveCountAsync(0);
            await Expect(session.Page.GetByTestId("access-denied")).ToHaveCountAsync(0);
            await session.ScreenshotAsync(role, item.Title);
        }

        session.AssertNoBrowserErrors();
    }

    [Theory]
    [MemberData(nameof(RestrictedRoles))]
    public async Task DirectUrl_RefusesEveryPageOutsideTheRole_ForEachRole(string role)
    {
        var refused = Navigation.Items.Where(item => !Policies.Allows(item.Policy, [role])).ToList();
        Assert.NotEmpty(refused);
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(role);

        foreach (var item in refused)
        {
            // A full page load: the server refuses the endpoint and sends the browser to /access-denied.
            await session.GotoAsync(item.Href);

            await Expect(session.Page.GetByTestId("access-denied")).ToBeVisibleAsync();
            await Expect(PageHeading(session.Page, item.Title)).ToHaveCountAsync(0);
            await Expect(session.Page.GetByTestId("page-error")).ToHaveCountAsync(0);
            await session.ScreenshotAsync(role, $"denied-{item.Title}");

            // Inside the circuit no server request happens; the router must refuse the page itself.
            await session.NavigateInCircuitAsync(item.Href);

            await Expect(session.Page).ToHaveURLAsync(BrowserSession.PathIs(item.Href));
            await Expect(session.Page.GetByTestId("access-denied")).ToBeVisibleAsync();
            await Expect(PageHeading(session.Page, item.Title)).ToHaveCountAsync(0);
        }

        session.AssertNoBrowserErrors();
    }

    /// <summary>
    /// After a run that escalates, the demo workspace's dashboard, escalation queue and tools page show it: figures,
    /// the open escalation with a link to its run, the registered tools and their grants — no false empty state.
    /// </summary>
    [Fact]
    public async Task DashboardEscalationsAndTools_ShowTheRunsEscalationsAndToolsThatExist()
    {
        using var api = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        var started = await api.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs", new JsonObject
        {
            ["input"] = new JsonObject { ["name"] = "Ravi Patel", ["email"] = "ravi@globex.example", ["company"] = "Globex", ["employees"] = 1200 },
        });
        var runId = (await started.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<Guid>();
        for (var attempt = 0; attempt < 300 && (await api.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}"))!["status"]!.GetValue<string>() != "WaitingForHuman"; attempt++)
        {
            await Task.Delay(100);
        }

        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Admin);

        await Expect(page.GetByTestId("run-figures")).ToBeVisibleAsync();
        await Expect(page.GetByText("No runs yet")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("kpi-open-escalations").GetByTestId("kpi-value")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator($"[data-testid=agent-row][data-agent={DemoWorkspace.LeadRouterKey}]")).ToBeVisibleAsync();
        await session.ScreenshotAsync("honest-pages", "dashboard");

        await session.ClickNavAsync("Escalations");
        await Expect(page.GetByTestId("escalations-list")).ToBeVisibleAsync();
        await Expect(page.GetByText("the queue is clear")).ToHaveCountAsync(0);
        // By due time: other tests' open escalations may come before this one, so load more until it shows.
        var row = page.Locator($"[data-testid=escalation-row][data-run-id='{runId}']");
        var more = page.GetByTestId("escalations-more");
        while (await row.CountAsync() == 0 && await more.CountAsync() > 0)
        {
            var shown = await page.GetByTestId("escalation-row").CountAsync();
            await more.ClickAsync();
            await Expect(page.GetByTestId("escalation-row")).Not.ToHaveCountAsync(shown);
        }

        await Expect(row).ToContainTextAsync("Inbound lead router");
        await row.ClickAsync();
        await Expect(page.GetByTestId("detail-run-link")).ToHaveAttributeAsync("href", $"/runs/{runId}");
        await session.ScreenshotAsync("honest-pages", "escalations");

        await session.ClickNavAsync("Tools");
        await Expect(page.GetByTestId("tool-row")).ToHaveCountAsync(host.Services.GetRequiredService<ToolRegistry>().All.Count);
        await Expect(page.GetByText("No tools registered")).ToHaveCountAsync(0);
        // Other tests in this host add agents granted the same tools; the demo's grant is the one linking to its page.
        await Expect(page.Locator("tr:has([data-tool=crm_find_company]) [data-testid=tool-grant][href='/agents/lead-router']")).ToHaveTextAsync("Inbound lead router");
        await session.ScreenshotAsync("honest-pages", "tools");

        await session.GotoAsync($"/runs/{runId}");
        await Expect(page.GetByTestId("run-status")).ToHaveAttributeAsync("data-status", "WaitingForHuman");
        session.AssertNoBrowserErrors();
    }

    private static ILocator PageHeading(IPage page, string title) =>
        page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = title, Exact = true, Level = 1 });
}
