using AgentConsole.Components.Pages.DecisionTables;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using AgentConsole.Tests.DecisionTables.Analysis;
using Bunit;
using FindingSeverity = AgentConsole.Components.Pages.DecisionTables.FindingSeverity;

namespace AgentConsole.Tests.Components.DecisionTables;

public sealed class AnalysisPanelTests : MudTestContext
{
    private IRenderedComponent<AnalysisPanel> RenderPanel(TableAnalysis analysis) => Render<AnalysisPanel>(p => p
        .Add(c => c.Findings, [.. analysis.Findings.Select(f => new EditorFinding(FindingSeverity.Info, f.Kind.ToString(), f.Message, []))])
        .Add(c => c.Partial, analysis.IsPartial)
        .Add(c => c.PartialCells, analysis.PartialCells)
        .Add(c => c.Duration, analysis.Duration));

    [Fact]
    public void PartialAnalysis_ListsTheCellsItCannotProve_AndDoesNotClaimTheTableComplete()
    {
        var table = new TableBuilder().Input("Lead.employees", FeelType.Number).Input("Max Amount", FeelType.Number)
            .Rule("<= Max Amount", "-", "\"ok\"")
            .Rule("> Max Amount", "-", "\"review\"")
            .Build();

        var panel = RenderPanel(DecisionTableAnalyzer.Analyze(table));

        Assert.Contains("Partial: 2 cells are outside what the analysis can prove", panel.Find("[data-testid=analysis-partial]").TextContent, StringComparison.Ordinal);
        var cells = panel.FindAll("[data-testid=partial-cell]").Select(c => c.TextContent).ToList();
        Assert.Equal(2, cells.Count);
        Assert.StartsWith("Rule 1 (r1), Lead.employees: <= Max Amount", cells[0], StringComparison.Ordinal);
        Assert.Contains("compares with 'Max Amount'", cells[0], StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=analysis-clean]"));
    }

    [Fact]
    public void ExactCleanAnalysis_SaysSo_WithoutAPartialNote()
    {
        var table = new TableBuilder().Input("Lead.employees", FeelType.Number).Rule("< 10", "\"a\"").Rule(">= 10", "\"b\"").Build();

        var panel = RenderPanel(DecisionTableAnalyzer.Analyze(table));

        Assert.NotNull(panel.Find("[data-testid=analysis-clean]"));
        Assert.Empty(panel.FindAll("[data-testid=analysis-partial]"));
    }
}
