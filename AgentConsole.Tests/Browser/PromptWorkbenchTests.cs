using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Prompts;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The prompt workbench in a browser: from the Prompts list to the demo prompt, then editing a draft with live lint and the diff.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class PromptWorkbenchTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Owner_OpensTheDemoPrompt_ThenEditsADraft_WithLiveLintAndADiff()
    {
        // An agent of this test's own with the demo's tools and prompt, so the demo's lead router keeps only v1.
        var definition = DemoWorkspace.LeadRouter();
        definition.Key = $"wb-browser-{Guid.NewGuid():N}"[..22];
        definition.Name = "Workbench lead router";
        Assert.Equal(AgentSaveOutcome.Saved, (await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(definition, "tests")).Outcome);
        var catalog = host.Services.GetRequiredService<PromptCatalog>();
        Assert.True((await catalog.CreateDraftAsync(definition.Key, LeadRouterPrompt.Sections(), null, "From the demo", "tests")).Succeeded);

        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.ClickNavAsync("Prompts");
        var demoRow = page.Locator($"[data-testid=prompt-agent-row][data-agent={DemoWorkspace.LeadRouterKey}]");
        await Expect(demoRow.GetByTestId("prompt-published")).ToHaveTextAsync("v1");
        await session.ScreenshotAsync(Roles.Owner, "prompts-list");

        await demoRow.GetByTestId("open-workbench").ClickAsync();
        await Expect(session.Heading).ToHaveTextAsync("Inbound lead router — prompt");
        await Expect(page.GetByTestId("lint-clean")).ToBeVisibleAsync();
        await session.ScreenshotAsync(Roles.Owner, "prompt-workbench-demo");

        await session.GotoAsync($"/agents/{definition.Key}/prompt");
        await Expect(page.GetByTestId("current-version")).ToHaveTextAsync("Draft v1");
        await Expect(page.GetByTestId("lint-clean")).ToBeVisibleAsync();
        var role = page.Locator("[data-section=role] textarea");
        await role.FillAsync("Be helpful with every lead.\n\n" + LeadRouterPrompt.Sections().Role);
        await Expect(page.Locator("[data-testid=lint-finding][data-rule=vague-mandate]")).ToHaveCountAsync(1);
        await session.ScreenshotAsync(Roles.Owner, "prompt-workbench-live-lint");

        await page.GetByTestId("save-draft").ClickAsync();
        await Expect(page.GetByTestId("workbench-notice")).ToContainTextAsync("Draft v1 saved.");
        await page.GetByTestId("publish").ClickAsync();
        await Expect(page.GetByTestId("gate-message")).ToContainTextAsync("No completed evaluation of prompt v1");
        await session.ScreenshotAsync(Roles.Owner, "prompt-workbench-gate");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Versions" }).ClickAsync();
        await page.Locator("[data-testid=prompt-version-row][data-number='1'] [data-testid=copy-version]").ClickAsync();
        await Expect(page.GetByTestId("current-version")).ToHaveTextAsync("Draft v2");
        await page.Locator("[data-section=prohibitions] textarea").FillAsync(LeadRouterPrompt.Sections().Prohibitions + "\n- discuss a competitor's products;");
        await page.GetByTestId("save-draft").ClickAsync();
        await Expect(page.GetByTestId("workbench-notice")).ToContainTextAsync("Draft v2 saved.");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Versions" }).ClickAsync();
        await Expect(page.GetByTestId("prompt-version-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("diff-added")).ToContainTextAsync("discuss a competitor's products");
        await session.ScreenshotAsync(Roles.Owner, "prompt-workbench-versions");
        session.AssertNoBrowserErrors();
    }
}
