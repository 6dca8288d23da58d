using System.Text.RegularExpressions;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>The decision-table editor as an Owner uses it on the demo table, and as a Reviewer reads it.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class DecisionEditorTests(ConsoleHostFixture host, BrowserFixture browser)
{
    /// <summary>Each test edits its own copy of the demo table so tests stay independent.</summary>
    private async Task<string> CopyOfDemoTableAsync()
    {
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var model = DemoWorkspace.LeadRoutingModel();
        var created = await catalog.CreateAsync(model with { Decisions = [model.Decisions[0] with { Name = "Lead routing " + Guid.NewGuid().ToString("N")[..6] }] }, "test");
        foreach (var (name, inputs, expected) in DemoWorkspace.LeadRoutingTests)
        {
            await catalog.AddTestCaseAsync(created.Decision.Key, name, inputs, expected, "test");
        }

        await catalog.PublishDraftAsync(created.Decision.Key, "test");
        return created.Decision.Key;
    }

    /// <summary>Evaluates the demo agent with the routing draft (the host's evaluations queue runs the cases) and waits until it completes.</summary>
    private async Task EvaluateDraftAsync()
    {
        var set = await Evaluations.EvaluationTestSets.CreateAsync(host.Services, DemoWorkspace.LeadRouterKey, Evaluations.EvaluationTestSets.LeadRouterCases());
        var evaluations = host.Services.GetRequiredService<Engine.Evaluations.AgentEvaluations>();
        var started = await evaluations.StartAsync(DemoWorkspace.LeadRouterKey,
            new Engine.Evaluations.EvaluationRequest(TestSetId: set, Decisions: new Dictionary<string, int> { [DemoWorkspace.LeadRoutingKey] = 2 }), "owner@example.com");
        Assert.True(started.EvaluationId is not null, started.Message);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await evaluations.FindAsync(started.EvaluationId.Value))!.Status != Engine.Evaluations.EvaluationStatus.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "The evaluation of the draft did not complete.");
            await Task.Delay(200);
        }

        Assert.Equal(1.0, (await evaluations.FindAsync(started.EvaluationId.Value))!.PassRate);
    }

    private static ILocator Tab(IPage page, string name) =>
        page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex($"^{Regex.Escape(name)}$") });

    private static ILocator Cell(IPage page, int row, string area, int column) => page.Locator($"input[data-cell='{row}:{area}:{column}']");

    [Fact]
    public async Task DemoTable_OpensFromTheList_WithItsRulesAndTestCases()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);
        await session.ClickNavAsync("Decision tables");

        await session.Page.GetByTestId("decision-link").Filter(new() { HasTextString = "Lead routing" }).First.ClickAsync();

        await Expect(session.Page).ToHaveURLAsync(BrowserSession.PathIs("/decision-tables/lead-routing"));
        await Expect(session.Page.GetByTestId("rule-row")).ToHaveCountAsync(3);
        // Another test publishes the fixed demo table, so either version may be open.
        await Expect(Cell(session.Page, 1, "input", 0)).ToHaveValueAsync(new Regex(@"^\[1[01]\.\.500\]$"));
        var cases = (await host.Services.GetRequiredService<DecisionCatalog>().ListTestCasesAsync("lead-routing")).Count;
        Assert.True(cases >= DemoWorkspace.LeadRoutingTests.Count);
        await Expect(Tab(session.Page, $"Test cases ({cases})")).ToBeVisibleAsync();
        await session.ScreenshotAsync("decisions", "demo-table");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task TypingABrokenEntry_MarksTheCell_AndFixingItClearsTheMark()
    {
        var key = await CopyOfDemoTableAsync();
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/decision-tables/{key}");

        var cell = Cell(session.Page, 1, "input", 0);
        await cell.FillAsync("[11..");

        await Expect(cell).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(session.Page.GetByTestId("cell-error")).ToHaveCountAsync(1);
        await Expect(session.Page.GetByTestId("unsaved")).ToBeVisibleAsync();
        await session.ScreenshotAsync("decisions", "cell-error");
        await cell.FillAsync("[11..500]");
        await Expect(cell).ToHaveAttributeAsync("aria-invalid", "false");
        await Expect(session.Page.GetByTestId("cell-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task TypingADeeplyNestedEntry_MarksTheCell_AndSavingIsRefusedWithItsPosition()
    {
        var key = await CopyOfDemoTableAsync();
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync($"/decision-tables/{key}");

        var cell = Cell(session.Page, 1, "input", 0);
        await cell.FillAsync(new string('(', 2_000) + "11" + new string(')', 2_000));

        await Expect(cell).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(session.Page.GetByTestId("cell-error")).ToContainTextAsync($"nests more than {FeelParser.MaxDepth} levels");
        await session.Page.GetByTestId("save-draft").ClickAsync();
        await Expect(session.Page.GetByTestId("editor-problem")).ToContainTextAsync("rule 2");
        await Expect(session.Page.GetByTestId("editor-problem")).ToContainTextAsync("input 1: Input entry: The expression nests more than");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task TestPanel_HighlightsTheMatchedRule_AndShowsTheResult()
    {
        var key = await CopyOfDemoTableAsync();
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Manager);
        await session.GotoAsync($"/decision-tables/{key}");

        await Tab(session.Page, "Test").ClickAsync();
        await session.Page.GetByTestId("test-input-employees").FillAsync("200");
        await session.Page.GetByTestId("evaluate").ClickAsync();

        await Expect(session.Page.GetByTestId("test-result-value")).ToHaveTextAsync("\"Mid-market sequence\"");
        await Expect(session.Page.GetByTestId("rule-row").Nth(1)).ToHaveClassAsync(new Regex("dt-matched"));
        await Expect(session.Page.Locator("tr.dt-matched")).ToHaveCountAsync(1);
        await session.ScreenshotAsync("decisions", "test-panel");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task Reviewer_ReadsTheTable_ButCannotEditIt()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Reviewer);
        await session.GotoAsync("/decision-tables/lead-routing");

        await Expect(Cell(session.Page, 0, "input", 0)).ToBeDisabledAsync();
        await Expect(session.Page.GetByTestId("save-draft")).ToHaveCountAsync(0);
        await Expect(session.Page.GetByTestId("publish")).ToHaveCountAsync(0);
        await Expect(session.Page.GetByTestId("add-rule")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task DemoTable_ShowsTheGap_FixingItClearsTheFinding_ThenTestsAndPublishes()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync("/decision-tables/lead-routing");
        var gap = session.Page.GetByTestId("finding").Filter(new() { HasTextString = "Gap" });
        await Expect(gap).ToHaveCountAsync(1);
        await Expect(gap).ToContainTextAsync("employees = 10");
        await session.ScreenshotAsync("decisions", "gap-found");

        await gap.ClickAsync();
        // A gap is an absence, so the finding points at the column whose values leave it open.
        await Expect(session.Page.GetByTestId("input-head").First).ToHaveClassAsync(new Regex("dt-highlight"));
        await Cell(session.Page, 1, "input", 0).FillAsync("[10..500]");

        await Expect(gap).ToHaveCountAsync(0);
        await Expect(session.Page.GetByTestId("analysis-clean")).ToBeVisibleAsync();
        await session.ScreenshotAsync("decisions", "gap-fixed");

        await Tab(session.Page, "Test").ClickAsync();
        await session.Page.GetByTestId("test-input-employees").FillAsync("10");
        await session.Page.GetByTestId("evaluate").ClickAsync();
        await Expect(session.Page.GetByTestId("test-result-value")).ToHaveTextAsync("\"Mid-market sequence\"");
        await session.Page.GetByTestId("test-case-name").FillAsync("Exactly 10 employees is mid-market");
        await session.Page.GetByTestId("save-test-case").ClickAsync();
        await Expect(session.Page.GetByTestId("editor-notice")).ToContainTextAsync("saved");

        // The table is bound to the demo agent: the publish gate wants an evaluation of this exact draft first.
        await session.Page.GetByTestId("publish").ClickAsync();
        await Expect(session.Page.GetByTestId("publish-gate")).ToContainTextAsync("No completed evaluation of decision 'lead-routing' v2");
        await Expect(session.Page.GetByTestId("publish-override")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("decisions", "publish-gate");
        await EvaluateDraftAsync();

        await session.Page.GetByTestId("publish").ClickAsync();

        await Expect(session.Page.GetByTestId("editor-notice")).ToContainTextAsync("published");
        await Expect(session.Page.GetByTestId("version-chip")).ToContainTextAsync("Published v2");
        await Expect(session.Page.GetByTestId("unsaved")).ToHaveCountAsync(0);
        await Expect(session.Page.GetByTestId("publish")).ToBeDisabledAsync();
        await session.ScreenshotAsync("decisions", "published");
        var published = await host.Services.GetRequiredService<DecisionWorkbench>().EvaluateAsync("lead-routing", new Dictionary<string, object?> { ["employees"] = 10m });
        Assert.Equal(LeadRoutingTable.MidMarket, published!.Result.Value);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task StructuredTable_ShowsThePartialCells_AndTheGapByPath()
    {
        var table = new DecisionTables.Analysis.TableBuilder().Input("Products").Input("Lead.employees").Input("Lead.industry")
            .Rule("\"Widget\"", "< 10", "\"Tech\",\"Retail\"", "\"a\"")
            .Rule("-", ">= 10", "-", "\"b\"")
            .Build() with { Name = "Structured leads " + Guid.NewGuid().ToString("N")[..6] };
        var model = DecisionTables.Analysis.StructuredInputAnalysisTests.LeadModel(table, new InputData { Name = "Products", TypeName = "tProducts" });
        var key = (await host.Services.GetRequiredService<DecisionCatalog>().CreateAsync(model, "test")).Decision.Key;
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);

        await session.GotoAsync($"/decision-tables/{key}");

        var partial = session.Page.GetByTestId("analysis-partial");
        await Expect(partial).ToContainTextAsync("Partial: 1 cell is outside what the analysis can prove");
        await Expect(session.Page.GetByTestId("partial-cell")).ToContainTextAsync("Rule 1 (r1), Products: \"Widget\"");
        await Expect(session.Page.Locator("[data-testid=finding][data-kind=Gap]")).ToContainTextAsync("Lead.industry = \"Health\"");
        await Expect(session.Page.GetByTestId("analysis-clean")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("decisions", "analysis-partial");
    }

    [Fact]
    public async Task ImportDmn_FromTheListPage_AddsTheDecision_AndReportsBadFiles()
    {
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync("/decision-tables");
        var file = session.Page.GetByTestId("import-dmn");

        await file.SetInputFilesAsync(Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Tck", "0108-first-hitpolicy", "0108-first-hitpolicy.dmn"));

        await Expect(session.Page.GetByTestId("import-notice")).ToContainTextAsync("Imported Approval (approval");
        await Expect(session.Page.GetByTestId("decision-link").Filter(new() { HasTextString = "Approval" }).First).ToBeVisibleAsync();

        await file.SetInputFilesAsync(new FilePayload { Name = "broken.dmn", MimeType = "application/xml", Buffer = "<definitions><decision>"u8.ToArray() });

        await Expect(session.Page.GetByTestId("import-problem")).ToContainTextAsync("broken.dmn could not be imported");
        await Expect(session.Page.GetByTestId("import-problem")).ToContainTextAsync("line");
        await session.ScreenshotAsync("decisions", "import-error");
        session.AssertNoBrowserErrors();
    }
}
