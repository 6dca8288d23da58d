using AgentConsole.Components.Pages.DecisionTables;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using Bunit;

namespace AgentConsole.Tests.Components;

public sealed class DecisionGridTests : MudTestContext
{
    private static TableEditState Demo() => TableEditState.From(DemoWorkspace.LeadRoutingModel());

    private IRenderedComponent<DecisionGrid> RenderGrid(TableEditState state, Action<ComponentParameterCollectionBuilder<DecisionGrid>>? more = null) =>
        Render<DecisionGrid>(p =>
        {
            p.Add(g => g.State, state);
            more?.Invoke(p);
        });

    [Fact]
    public void Render_ShowsRulesAsRows_AndColumnsInDmnOrder()
    {
        var grid = RenderGrid(Demo());

        Assert.Equal(3, grid.FindAll("[data-testid=rule-row]").Count);
        Assert.Equal(["Employees", "Industry"], grid.FindAll("[data-testid=input-head] .dt-head-title").Select(e => e.TextContent));
        Assert.Equal(["Route"], grid.FindAll("[data-testid=output-head] .dt-head-title").Select(e => e.TextContent));
        Assert.Equal("[11..500]", grid.Find("input[data-cell='1:input:0']").GetAttribute("value"));
    }

    [Fact]
    public void TypingInACell_UpdatesTheState_AndReportsTheCell()
    {
        var state = Demo();
        CellRef? changed = null;
        var grid = RenderGrid(state, p => p.Add(g => g.Changed, (CellRef? c) => changed = c));

        grid.Find("input[data-cell='1:input:0']").Input("[10..500]");

        Assert.Equal("[10..500]", state.Rules[1].Inputs[0]);
        Assert.Equal(new CellRef(1, CellArea.Input, 0), changed);
    }

    [Fact]
    public void RuleButtons_AddDuplicateMoveAndDelete()
    {
        var state = Demo();
        var grid = RenderGrid(state);

        grid.Find("[data-testid=add-rule]").Click();
        Assert.Equal(4, state.Rules.Count);
        Assert.Equal(["-", "-"], state.Rules[3].Inputs);

        grid.FindAll("[data-testid=rule-duplicate]")[0].Click();
        Assert.Equal(5, state.Rules.Count);
        Assert.Equal(state.Rules[0].Inputs, state.Rules[1].Inputs);
        Assert.NotEqual(state.Rules[0].Id, state.Rules[1].Id);

        var third = state.Rules[2].Id;
        grid.FindAll("[data-testid=rule-up]")[2].Click();
        Assert.Equal(third, state.Rules[1].Id);

        grid.FindAll("[data-testid=rule-delete]")[0].Click();
        Assert.Equal(4, state.Rules.Count);
        Assert.Equal(4, grid.FindAll("[data-testid=rule-row]").Count);
    }

    [Fact]
    public void AddingAndRemovingAnInputColumn_KeepsEveryRuleInStep()
    {
        var state = Demo();
        var grid = RenderGrid(state);

        grid.Find("[data-testid=add-input]").Click();
        Assert.Equal(3, state.Inputs.Count);
        Assert.All(state.Rules, r => Assert.Equal("-", r.Inputs[2]));

        grid.FindAll("[data-testid=input-head] button")[0].Click();
        grid.Find("[data-testid=remove-column]").Click();

        Assert.Equal(["industry", "input3"], state.Inputs.Select(i => i.Expression));
        Assert.All(state.Rules, r => Assert.Equal(2, r.Inputs.Count));
    }

    [Fact]
    public void ColumnSettings_EditTheColumn()
    {
        var state = Demo();
        var grid = RenderGrid(state);

        grid.FindAll("[data-testid=input-head] button")[1].Click();
        grid.Find("[data-testid=column-allowed]").Input("\"Retail\",\"Banking\"");
        grid.Find("[data-testid=column-type]").Change("string");

        Assert.Equal("\"Retail\",\"Banking\"", state.Inputs[1].AllowedValues);
        Assert.Equal(FeelType.String, state.Inputs[1].TypeRef);
    }

    [Fact]
    public void HitPolicySelector_SetsPolicyAndAggregator()
    {
        var state = Demo();
        var grid = RenderGrid(state);

        grid.Find("[data-testid=hit-policy]").Change("C+");
        Assert.Equal(HitPolicy.Collect, state.HitPolicy);
        Assert.Equal(CollectAggregator.Sum, state.Aggregator);

        grid.Find("[data-testid=hit-policy]").Change("F");
        Assert.Equal(HitPolicy.First, state.HitPolicy);
        Assert.Equal(CollectAggregator.None, state.Aggregator);
    }

    [Fact]
    public void CellErrors_HighlightsAndMatchedRows_AreShown()
    {
        var errors = new Dictionary<CellRef, string> { [new CellRef(0, CellArea.Input, 0)] = "Expected a value (column 3)" };
        var grid = RenderGrid(Demo(), p => p
            .Add(g => g.CellErrors, errors)
            .Add(g => g.Highlighted, new HashSet<CellRef> { new(2, CellArea.Output, 0) })
            .Add(g => g.MatchedRows, new HashSet<int> { 1 }));

        var broken = grid.Find("input[data-cell='0:input:0']");
        Assert.Equal("true", broken.GetAttribute("aria-invalid"));
        Assert.Equal("Expected a value (column 3)", grid.Find("[data-testid=cell-error]").TextContent);
        Assert.Contains("dt-highlight", grid.Find("input[data-cell='2:output:0']").ParentElement!.ClassName, StringComparison.Ordinal);
        Assert.Contains("dt-matched", grid.FindAll("[data-testid=rule-row]")[1].ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnly_DisablesCellsAndHidesEditing()
    {
        var grid = RenderGrid(Demo(), p => p.Add(g => g.ReadOnly, true));

        Assert.All(grid.FindAll("input[data-cell]"), input => Assert.True(input.HasAttribute("disabled")));
        Assert.Empty(grid.FindAll("[data-testid=add-rule]"));
        Assert.Empty(grid.FindAll("[data-testid=rule-delete]"));
        Assert.Empty(grid.FindAll("[data-testid=hit-policy]"));
    }

    [Fact]
    public void State_RoundTripsToTheSameModel()
    {
        var model = ImplicitInputData.Declare(DemoWorkspace.LeadRoutingModel());

        Assert.Equal(model, TableEditState.From(model).ToModel());
    }

    [Theory]
    [InlineData("\"A\", \"B\"", new[] { "\"A\"", "\"B\"" })]
    [InlineData("\"x, y\",3", new[] { "\"x, y\"", "3" })]
    [InlineData("", new string[0])]
    public void SplitLiterals_RespectsCommasInsideQuotes(string text, string[] expected)
    {
        Assert.Equal(expected, TableEditState.SplitLiterals(text));
    }
}
