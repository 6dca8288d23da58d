using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Access;
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

    private static ILocator PageHeading(IPage page, string title) =>
        page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = title, Exact = true, Level = 1 });
}
