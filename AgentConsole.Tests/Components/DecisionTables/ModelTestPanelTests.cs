using System.Text.Json;
using AgentConsole.Components.Pages.DecisionTables;
using AgentConsole.Engine.DecisionTables;
using Bunit;

namespace AgentConsole.Tests.Components.DecisionTables;

/// <summary>The Test tab of a model: structured inputs as JSON checked while typed, the chosen decision and intermediates.</summary>
public sealed class ModelTestPanelTests : MudTestContext
{
    private static readonly DmnModel Model = new()
    {
        Name = "Totals",
        ItemDefinitions =
        [
            new ItemDefinition { Name = "tLead", Components = [new ItemDefinition { Name = "employees", TypeRef = "number" }] },
        ],
        InputData =
        [
            new InputData { Name = "Lead", TypeName = "tLead" },
            new InputData { Name = "x", TypeRef = FeelType.Number },
        ],
        Decisions =
        [
            new LiteralExpressionDecision { Name = "Total", Expression = "Base + 1" },
            new LiteralExpressionDecision { Name = "Base", Expression = "x * 2" },
        ],
    };

    [Fact]
    public void Panel_SaysWhatIsWrong_WhileAStructuredInputIsNotValidJson()
    {
        var view = Render<ModelTestPanel>(p => p.Add(c => c.Model, Model));

        view.Find("textarea[data-testid='model-input-Lead']").Input("{\"employees\": ");

        view.WaitForAssertion(() => Assert.Contains("Not valid JSON", view.Markup, StringComparison.Ordinal));
        Assert.True(view.Find("button[data-testid=evaluate-model]").HasAttribute("disabled"));
        view.Find("textarea[data-testid='model-input-Lead']").Input("{\"employees\": 12}");
        view.WaitForAssertion(() => Assert.DoesNotContain("Not valid JSON", view.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void Panel_SendsTheMainDecisionAndJsonValues_AndShowsEachIntermediate()
    {
        (string Decision, IReadOnlyDictionary<string, object?> Inputs)? sent = null;
        var view = Render<ModelTestPanel>(p => p.Add(c => c.Model, Model).Add(c => c.OnEvaluate, r => sent = r));

        view.Find("textarea[data-testid='model-input-Lead']").Input("{\"employees\": 12}");
        view.Find("input[data-testid='model-input-x']").Input("4");
        view.Find("button[data-testid=evaluate-model]").Click();

        view.WaitForAssertion(() => Assert.NotNull(sent));
        Assert.Equal("Total", sent!.Value.Decision);
        Assert.Equal(12, ((JsonElement)sent.Value.Inputs["Lead"]!).GetProperty("employees").GetInt32());
        Assert.Equal(4m, sent.Value.Inputs["x"]);
        var result = DecisionWorkbench.Evaluate(Model, new Dictionary<string, object?> { ["x"] = 4m }, trace: true);
        view.Render(p => p.Add(c => c.Result, ModelTestRun.From(result)));
        Assert.Equal("9", view.Find("[data-testid=model-test-value]").TextContent);
        var intermediate = view.Find("[data-testid=model-test-intermediate]");
        Assert.Equal("Base", intermediate.GetAttribute("data-decision"));
        Assert.Contains("8", intermediate.TextContent, StringComparison.Ordinal);
    }
}
