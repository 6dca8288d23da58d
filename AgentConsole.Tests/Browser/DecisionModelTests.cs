using System.Text;
using System.Text.RegularExpressions;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>A two-level DMN model in the editor: imported whole, drawn as a graph, each table opened, tested with intermediates.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class DecisionModelTests(ConsoleHostFixture host, BrowserFixture browser)
{
    [Fact]
    public async Task ImportedModel_ShowsItsGraph_OpensTheScoreTable_AndTestsWithTheIntermediateScore()
    {
        // The host is shared: the routing decision (the model's name in the list) gets a name of its own.
        var routing = "Lead routing model " + Guid.NewGuid().ToString("N")[..6];
        var xml = (await File.ReadAllTextAsync(AgentConsole.Tests.DecisionTables.DecisionModelTests.LeadModelPath)).Replace("Lead routing", routing, StringComparison.Ordinal);
        await using var session = await BrowserSession.StartAsync(browser, host);
        await session.SignInAsync(Roles.Owner);
        await session.GotoAsync("/decision-tables");

        await session.Page.GetByTestId("import-dmn").SetInputFilesAsync(new FilePayload { Name = "lead-model.dmn", MimeType = "application/xml", Buffer = Encoding.UTF8.GetBytes(xml) });

        await Expect(session.Page.GetByTestId("import-notice")).ToContainTextAsync($"Imported {routing}");
        var row = session.Page.Locator("tr").Filter(new() { HasTextString = routing });
        await Expect(row.GetByTestId("decision-shape")).ToHaveTextAsync("2 decisions");
        await row.GetByTestId("decision-link").ClickAsync();

        var graph = session.Page.GetByTestId("decision-graph");
        await Expect(graph.GetByTestId("graph-node")).ToHaveCountAsync(3);
        await Expect(graph.GetByTestId("graph-edge")).ToHaveCountAsync(3);
        await Expect(session.Page.GetByTestId("decision-name")).ToHaveValueAsync(routing);
        await session.ScreenshotAsync("decisions", "model-graph");

        await graph.Locator("[data-node='Lead score']").ClickAsync();

        await Expect(session.Page.GetByTestId("decision-name")).ToHaveValueAsync("Lead score");
        await Expect(session.Page.GetByTestId("rule-row")).ToHaveCountAsync(3);
        await Expect(graph.Locator("[data-node='Lead score']")).ToHaveAttributeAsync("aria-pressed", "true");

        await session.Page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Test$") }).ClickAsync();
        var lead = session.Page.GetByTestId("model-input-Lead");
        await lead.FillAsync("{\"employees\": 120,");
        await Expect(session.Page.GetByTestId("evaluate-model")).ToBeDisabledAsync();
        await lead.FillAsync("{\"employees\": 120, \"country\": \"DE\"}");
        await session.Page.GetByTestId("evaluate-model").ClickAsync();

        await Expect(session.Page.GetByTestId("model-test-value")).ToHaveTextAsync("\"Enterprise DACH\"");
        var intermediate = session.Page.GetByTestId("model-test-intermediate");
        await Expect(intermediate).ToHaveCountAsync(1);
        await Expect(intermediate).ToContainTextAsync("Lead score: 50");
        // The open table is the score table: its matched rule is highlighted as an intermediate's.
        await Expect(session.Page.GetByTestId("rule-row").Nth(1)).ToHaveClassAsync(new Regex("dt-matched"));
        await session.ScreenshotAsync("decisions", "model-test-intermediate");
        session.AssertNoBrowserErrors();
    }
}
