using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>An Owner grants a tool from the Tools page's matrix; an Admin takes a connection live with a secret that is never shown again.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class ToolsAndConnectionsTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Owner_GrantsAToolFromTheMatrix()
    {
        var catalog = host.Services.GetRequiredService<AgentCatalog>();
        var tool = host.Services.GetRequiredService<ToolRegistry>().All.First(t => !t.BuiltIn && t.Access == ToolAccess.Read);
        var key = $"matrix-{Guid.NewGuid():N}"[..20];
        Assert.Equal(AgentSaveOutcome.Saved, (await catalog.CreateAsync(new AgentDefinition { Key = key, Name = "Matrix browser agent" }, "tests")).Outcome);
        try
        {
            await GrantFromTheMatrixAsync(catalog, key, tool);
        }
        finally
        {
            // The host is shared: other tests expect only the demo agent's grants on the tools page.
            await catalog.SetToolsAsync(key, [], null, "tests");
        }
    }

    private async Task GrantFromTheMatrixAsync(AgentCatalog catalog, string key, ToolDefinition tool)
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);

        await session.ClickNavAsync("Tools");
        var cell = page.Locator($"[data-testid=grant-cell][data-agent='{key}'][data-grant-tool='{tool.Key}']");
        await Expect(cell).ToHaveAttributeAsync("data-scope", "none");
        await cell.GetByRole(AriaRole.Button).ClickAsync();

        await Expect(cell).ToHaveAttributeAsync("data-scope", "read");
        await Expect(cell).ToContainTextAsync("Read");
        var saved = await catalog.FindAsync(key);
        Assert.Equal([$"{tool.Key}:Read"], saved!.Tools.Select(g => $"{g.Tool}:{g.Scope}"));
        await Expect(page.GetByTestId("connection-row").First.GetByTestId("connection-health")).Not.ToHaveAttributeAsync("data-healthy", "checking");
        await session.ScreenshotAsync(Roles.Owner, "tools-grant-matrix");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Admin_SwitchesAConnectionToLive_WithASecretThatIsNeverShownAgain()
    {
        const string Secret = "browser-secret-never-shown-7f3a";
        var store = host.Services.GetRequiredService<ConnectionStore>();
        var key = host.Services.GetRequiredService<ToolRegistry>().Connections[0].Key;
        try
        {
            await using var session = await BrowserSession.StartAsync(browser, host);
            var page = session.Page;
            await session.SignInAsync(Roles.Admin);
            await session.ClickNavAsync("Settings");
            await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Connections", Exact = true }).ClickAsync();

            var panel = page.Locator($"[data-testid=connection-panel][data-connection='{key}']");
            await panel.Locator("label:has([data-testid=connection-mode-live])").ClickAsync();
            await panel.GetByTestId("connection-new-secret-name").FillAsync("token");
            await panel.GetByTestId("connection-new-secret-value").FillAsync(Secret);
            await panel.GetByTestId("connection-new-secret-value").PressAsync("Tab");
            await panel.GetByTestId("connection-save").ClickAsync();

            await Expect(panel.Locator("[data-testid=connection-secret][data-secret=token]")).ToBeVisibleAsync();
            await Expect(panel.GetByTestId("connection-mode").First).ToHaveTextAsync("Live");
            Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
            await session.ScreenshotAsync(Roles.Admin, "settings-connections-live");

            // A fresh load shows the secret is set, never its value.
            await session.GotoAsync("/settings");
            await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Connections", Exact = true }).ClickAsync();
            await Expect(panel.Locator("[data-testid=connection-secret][data-secret=token]")).ToBeVisibleAsync();
            Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(Secret, (await store.SnapshotAsync(key)).Secret("token"));
            Assert.Equal(ConnectionMode.Live, (await store.FindAsync(key))!.Mode);
            session.AssertNoBrowserErrors();
        }
        finally
        {
            await store.UpdateAsync(key, new ConnectionUpdate(ConnectionMode.Sandbox, [], new Dictionary<string, string> { ["token"] = "" }, SimulatedFailure.None), "tests");
        }
    }
}
