using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>Test sets in a real browser: an Owner adds a run to the default test set from its page, then finds the case on Tests.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class TestSetsTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task Owner_AddsARunToTheDefaultTestSet_AndSeesItOnTheTestsPage()
    {
        var company = $"Browser Co {Guid.NewGuid():N}"[..18];
        var run = Run.Create(DemoWorkspace.LeadRouterKey, "Inbound lead router",
            $"{{\"name\":\"Bea Quill\",\"email\":\"bea@quill.example\",\"company\":\"{company}\",\"employees\":12}}", "tests", DateTimeOffset.UtcNow);
        run.RecordFacts("{\"lead-routing\":\"Mid-market sequence\"}");
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync())
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync();
        }

        await using var session = await BrowserSession.StartAsync(browser, host);
        var page = session.Page;
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/runs/{run.Id}");

        await page.GetByTestId("run-add-to-test-set").ClickAsync();
        var dialog = page.GetByTestId("test-case-dialog");
        await Expect(dialog.GetByTestId("test-case-name")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^{company}"));
        await Expect(dialog.GetByTestId("test-case-expected")).ToHaveValueAsync("{\"lead-routing\":\"Mid-market sequence\"}");
        await dialog.GetByTestId("test-case-output").FillAsync("Mid-market sequence");
        await session.ScreenshotAsync("test-sets", "add-run-dialog");
        await page.GetByTestId("test-case-save").ClickAsync();
        await Expect(page.GetByTestId("test-case-save")).ToHaveCountAsync(0);

        var saved = (await host.Services.GetRequiredService<TestSets>().DefaultForAsync(DemoWorkspace.LeadRouterKey))!.Cases.Single(c => c.SourceRunId == run.Id);
        Assert.Equal(TestCaseKind.Historical, saved.Kind);
        Assert.Equal(["Mid-market sequence"], saved.OutputContains);

        // Other tests in this host add agents; the run's agent is opened by name, as the workbench links to it.
        await session.GotoAsync($"/tests?agent={DemoWorkspace.LeadRouterKey}");
        await Expect(page.GetByTestId("tests-set-name")).ToHaveTextAsync(LeadRouterTestCases.SetName);
        await page.GetByTestId("tests-kind-filter").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = "Historical" }).ClickAsync();
        await Expect(page.GetByTestId("tests-case-name").Filter(new LocatorFilterOptions { HasText = company })).ToHaveCountAsync(1);
        await session.ScreenshotAsync("test-sets", "tests-page-historical");
        session.AssertNoBrowserErrors();
        await host.Services.GetRequiredService<TestSets>().DeleteCaseAsync(saved.TestSetId, saved.Id, "tests");
    }
}
