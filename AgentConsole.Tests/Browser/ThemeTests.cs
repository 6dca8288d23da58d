using AgentConsole.Components.Layout;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using MudBlazor.Utilities;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

[Collection(ConsoleHostGroup.Name)]
public sealed class ThemeTests(ConsoleHostFixture host, BrowserFixture browser)
{
    private static readonly string LightBackground = Css(ConsoleTheme.Theme.PaletteLight.Background);
    private static readonly string DarkBackground = Css(ConsoleTheme.Theme.PaletteDark.Background);

    [Fact]
    public async Task ThemeToggle_SwitchesToDarkMode_AndRemembersIt()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        var body = page.Locator("body");
        await session.SignInAsync(Roles.Manager);
        await Expect(body).ToHaveCSSAsync("background-color", LightBackground);

        await page.GetByTestId("theme-toggle").ClickAsync();

        await Expect(body).ToHaveCSSAsync("background-color", DarkBackground);
        await session.WaitForPageReadyAsync();
        await session.ScreenshotAsync(Roles.Manager, "dashboard-dark");

        // A fresh page load in the same browser comes back dark.
        await session.GotoAsync($"/agents/{DemoWorkspace.LeadRouterKey}");
        await Expect(body).ToHaveCSSAsync("background-color", DarkBackground);
        await session.WaitForPageReadyAsync();
        await session.ScreenshotAsync(Roles.Manager, "agent-dark");

        await page.GetByTestId("theme-toggle").ClickAsync();

        await Expect(body).ToHaveCSSAsync("background-color", LightBackground);
        session.AssertNoBrowserErrors();
    }

    private static string Css(MudColor color) => $"rgb({color.R}, {color.G}, {color.B})";
}
