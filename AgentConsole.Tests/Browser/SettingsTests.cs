using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The Admin's settings: users, API keys, and signing out.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class SettingsTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Users_ListsAdminAndDemoUsers()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Admin);

        await session.ClickNavAsync("Settings");

        await Expect(Tab(session.Page, "Users")).ToHaveAttributeAsync("aria-selected", "true");
        var users = session.Page.GetByTestId("users-table");
        await Expect(users).ToContainTextAsync(ConsoleHostFixture.AdminEmail);
        foreach (var (role, email, displayName) in DemoWorkspace.Users)
        {
            var row = users.Locator("tr", new LocatorLocatorOptions { HasText = email });
            await Expect(row).ToContainTextAsync(displayName);
            await Expect(row).ToContainTextAsync(role);
            await Expect(row).ToContainTextAsync("Active");
        }

        await session.ScreenshotAsync(Roles.Admin, "settings-users");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Models_ShowsOfflineAsConfiguredDefault_AndAKeylessProviderAsNotConfigured()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Admin);
        await session.ClickNavAsync("Settings");

        await Tab(page, "Models").ClickAsync();

        var rows = page.GetByTestId("model-row");
        var offline = rows.Filter(new LocatorFilterOptions { HasText = "offline" }).First;
        await Expect(offline).ToContainTextAsync("Offline (deterministic)");
        await Expect(offline).ToContainTextAsync("default");
        await Expect(offline.GetByTestId("model-status")).ToHaveTextAsync("Configured");
        var openai = rows.Filter(new LocatorFilterOptions { HasText = "gpt-4o-mini" });
        await Expect(openai.GetByTestId("model-status")).ToHaveTextAsync("Not configured: no API key");
        await session.ScreenshotAsync(Roles.Admin, "settings-models");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task ApiKeys_ShowsSecretOnce_WhenAdminCreatesKey()
    {
        var keyName = $"browser-key-{Guid.NewGuid():N}"[..24];
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Admin);
        await session.ClickNavAsync("Settings");

        await Tab(page, "API keys").ClickAsync();
        await Expect(Tab(page, "API keys")).ToHaveAttributeAsync("aria-selected", "true");
        await page.GetByTestId("new-key-name").FillAsync(keyName);
        await page.GetByTestId("new-key-role").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = Roles.Reviewer, Exact = true }).ClickAsync();
        // The select commits its value after closing its popover; a click on Create before that would use the old role.
        await Expect(page.GetByTestId("new-key-role")).ToHaveTextAsync(Roles.Reviewer);
        await Expect(page.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
        await page.GetByTestId("create-key").ClickAsync();

        var secret = page.GetByTestId("secret-value");
        await Expect(secret).ToHaveTextAsync(new Regex("^ac_[A-Za-z0-9_-]{20,}$"));
        await Expect(page.GetByTestId("one-time-secret")).ToContainTextAsync($"“{keyName}” ({Roles.Reviewer})");
        var row = page.GetByTestId("keys-table").Locator("tr", new LocatorLocatorOptions { HasText = keyName });
        await Expect(row).ToContainTextAsync(Roles.Reviewer);
        await Expect(row).ToContainTextAsync("Active");
        await Expect(row).Not.ToContainTextAsync(await secret.InnerTextAsync());
        await session.ScreenshotAsync(Roles.Admin, "settings-api-key-created");

        // The secret works at once and carries the chosen role: reading is allowed, editing agents is not.
        using (var client = host.CreateClient(await secret.InnerTextAsync()))
        {
            using var list = await client.GetAsync("/api/v1/agents");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var create = await client.PostAsJsonAsync("/api/v1/agents", new { key = "x-" + keyName, name = keyName });
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }

        // Shown once: leaving the tab and coming back does not bring it back.
        await Tab(page, "Users").ClickAsync();
        await Expect(page.GetByTestId("users-table")).ToBeVisibleAsync();
        await Tab(page, "API keys").ClickAsync();
        await Expect(page.GetByTestId("keys-table").Locator("tr", new LocatorLocatorOptions { HasText = keyName })).ToHaveCountAsync(1);
        await Expect(secret).ToHaveCountAsync(0);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SignOut_LandsOnLogin_WithSignedOutMessage()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Admin);

        await page.GetByTestId("user-menu").ClickAsync();
        await Expect(page.GetByTestId("user-identity")).ToContainTextAsync(ConsoleHostFixture.AdminEmail);
        await Expect(page.GetByTestId("user-identity")).ToContainTextAsync($"Role: {Roles.Admin}");
        await session.ScreenshotAsync(Roles.Admin, "user-menu");
        await page.GetByTestId("sign-out").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?signedOut=1$"));
        await Expect(page.GetByTestId("login-info")).ToHaveTextAsync("You have signed out.");
        await session.ScreenshotAsync("anonymous", "signed-out");

        // The session really ended: the console asks for a sign-in again, without claiming it expired.
        await page.GotoAsync("/settings");
        await Expect(page).ToHaveURLAsync(BrowserSession.LoginUrl());
        await Expect(page.GetByTestId("login-info")).ToHaveCountAsync(0);
        session.AssertNoBrowserErrors();
    }

    private static ILocator Tab(IPage page, string name) =>
        page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = name, Exact = true });
}
