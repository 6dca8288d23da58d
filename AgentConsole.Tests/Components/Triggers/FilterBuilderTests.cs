using AgentConsole.Components.Pages.Triggers;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Triggers;
using Bunit;

namespace AgentConsole.Tests.Components.Triggers;

/// <summary>The condition builder: rows and groups become the engine's filter, engine errors land at rows, the preview says why.</summary>
public sealed class FilterBuilderTests : MudTestContext
{
    private static readonly Agent LeadAgent = new()
    {
        Key = "leads",
        Name = "Leads",
        InputFields =
        [
            new AgentInputField { Name = "email", Type = InputFieldType.Text, Required = true },
            new AgentInputField { Name = "employees", Type = InputFieldType.Number },
        ],
    };

    private IRenderedComponent<FilterGroupEditor> RenderBuilder(FilterGroupModel model, IReadOnlyDictionary<string, string[]>? errors = null) =>
        Render<FilterGroupEditor>(p => p.Add(c => c.Group, model).Add(c => c.Errors, errors).Add(c => c.OnChanged, () => { }));

    [Fact]
    public void Builder_BuildsThePracticeGuideFilter_FromRowsAndANestedGroup()
    {
        var model = new FilterGroupModel();
        var view = RenderBuilder(model);

        view.Find("[data-testid=filter-add-row]").Click();
        view.Find("input[data-testid=filter-path]").Input("source");
        view.Find("input[data-testid=filter-value]").Input("website");
        view.Find("[data-testid=filter-add-group]").Click();
        view.WaitForAssertion(() => Assert.Equal(2, view.FindAll("input[data-testid=filter-path]").Count));
        view.FindAll("input[data-testid=filter-path]")[1].Input("industry");
        model.Groups[0].Rows[0].Operator = FilterOperator.IsOneOf;
        view.Render();
        view.FindAll("input[data-testid=filter-value]")[1].Input("Retail, SaaS");
        view.Find("[data-testid='filter-group-filter.groups[0]'] [data-testid=filter-add-row]").Click();
        view.WaitForAssertion(() => Assert.Equal(3, view.FindAll("input[data-testid=filter-path]").Count));
        view.FindAll("input[data-testid=filter-path]")[2].Input("employees");
        model.Groups[0].Rows[1].Operator = FilterOperator.AtLeast;
        view.Render();
        view.FindAll("input[data-testid=filter-value]")[2].Input("50");

        var filter = model.ToFilter()!;

        Assert.Equal(FilterMatch.All, filter.Match);
        Assert.Equal([new TriggerCondition("source", "\"website\"")], filter.Conditions);
        var group = Assert.Single(filter.SubGroups);
        Assert.Equal(FilterMatch.Any, group.Match);
        Assert.Equal([new TriggerCondition("industry", "\"Retail\",\"SaaS\""), new TriggerCondition("employees", ">= 50")], group.Conditions);
        Assert.NotNull(CompiledTriggerFilter.Compile(filter, out var errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void Builder_RemovesRowsAndGroups_AndAnEmptyBuilderMeansNoFilter()
    {
        var model = new FilterGroupModel();
        var view = RenderBuilder(model);
        view.Find("[data-testid=filter-add-row]").Click();
        view.Find("[data-testid=filter-add-group]").Click();
        view.WaitForAssertion(() => Assert.Single(view.FindAll("[data-testid=filter-remove-group]")));

        view.Find("[data-testid=filter-remove-group]").Click();
        view.Find("[data-testid=filter-remove-row]").Click();

        Assert.True(model.IsEmpty);
        Assert.Null(model.ToFilter());
    }

    [Fact]
    public void Builder_ShowsTheEnginesErrors_AtTheRowTheyNameInANestedGroup()
    {
        var model = FilterGroupModel.From(new TriggerFilter(FilterMatch.All, [new TriggerCondition("source", "\"website\"")],
            [new TriggerFilter(FilterMatch.Any, [new TriggerCondition("industry", "Retail")])]));
        CompiledTriggerFilter.Compile(model.ToFilter(), out var errors);

        var view = RenderBuilder(model, errors);

        var key = Assert.Single(errors.Keys);
        Assert.Equal("filter.groups[0].conditions[0].test", key);
        var nested = view.Find("[data-testid='filter-group-filter.groups[0]']");
        Assert.Contains("is a name (put text in quotes", nested.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("is a name", view.FindAll("[data-testid=filter-row]")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_OffersGroupsOnlyTwoLevelsBelowTheTop()
    {
        var model = new FilterGroupModel();
        var view = RenderBuilder(model);

        view.Find("[data-testid=filter-add-group]").Click();
        view.WaitForAssertion(() => Assert.Equal(2, view.FindAll("[data-testid=filter-add-group]").Count));
        view.Find("[data-testid='filter-group-filter.groups[0]'] [data-testid=filter-add-group]").Click();
        view.WaitForAssertion(() => Assert.Single(model.Groups[0].Groups));

        Assert.Equal(2, view.FindAll("[data-testid=filter-add-group]").Count);
        Assert.Single(model.Groups[0].Groups);
    }

    [Fact]
    public void Preview_SaysWhichConditionFilteredTheSampleOut_AndShowsTheMappedInputWhenItMatches()
    {
        var model = FilterGroupModel.From(new TriggerFilter(FilterMatch.All,
            [new TriggerCondition("source", "\"website\""), new TriggerCondition("employees", "> 50")]));

        var filteredOut = FilterPreview.Of(model, """{"source":"website","employees":12,"email":"a@b.example"}""", LeadAgent, null);
        var view = Render<TriggerEvaluationView>(p => p.Add(c => c.Evaluation, filteredOut.Evaluation!));

        Assert.Contains("Filtered out", view.Find("[data-testid=evaluation-outcome]").TextContent, StringComparison.Ordinal);
        Assert.Equal("employees is 12, which does not pass > 50", view.Find("[data-testid=evaluation-reason]").TextContent);

        var matched = FilterPreview.Of(model, """{"source":"website","headcount":"120","contact":{"mail":"a@b.example"},"employees":120}""", LeadAgent,
            new Dictionary<string, string> { ["email"] = "contact.mail", ["employees"] = "headcount" });
        var matchedView = Render<TriggerEvaluationView>(p => p.Add(c => c.Evaluation, matched.Evaluation!));

        Assert.Contains("Matched", matchedView.Find("[data-testid=evaluation-outcome]").TextContent, StringComparison.Ordinal);
        Assert.Contains("\"email\": \"a@b.example\"", matchedView.Find("[data-testid=evaluation-input]").TextContent, StringComparison.Ordinal);
        Assert.Contains("\"employees\": 120", matchedView.Find("[data-testid=evaluation-input]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_ReportsFilterErrorsAndBadSamples_InsteadOfAnOutcome()
    {
        var model = new FilterGroupModel { Rows = { new FilterRow { Path = "source", Operator = FilterOperator.Raw, Value = "> >" } } };

        var badFilter = FilterPreview.Of(model, "{}", LeadAgent, null);
        var badSample = FilterPreview.Of(new FilterGroupModel(), "{not json", LeadAgent, null);

        Assert.Null(badFilter.Evaluation);
        Assert.Contains("filter.conditions[0].test", badFilter.FilterErrors.Keys);
        Assert.Null(badSample.Evaluation);
        Assert.StartsWith("Not valid JSON", badSample.SampleError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FilterOperator.Is, "website", "", "\"website\"")]
    [InlineData(FilterOperator.Is, "50", "", "50")]
    [InlineData(FilterOperator.IsNot, "spam", "", "not(\"spam\")")]
    [InlineData(FilterOperator.IsOneOf, "Retail, SaaS", "", "\"Retail\",\"SaaS\"")]
    [InlineData(FilterOperator.IsNotOneOf, "a,b", "", "not(\"a\",\"b\")")]
    [InlineData(FilterOperator.GreaterThan, "50", "", "> 50")]
    [InlineData(FilterOperator.AtLeast, "50", "", ">= 50")]
    [InlineData(FilterOperator.LessThan, "10", "", "< 10")]
    [InlineData(FilterOperator.AtMost, "10", "", "<= 10")]
    [InlineData(FilterOperator.Between, "10", "500", "[10..500]")]
    [InlineData(FilterOperator.IsEmpty, "", "", "null,\"\"")]
    [InlineData(FilterOperator.IsPresent, "", "", "not(null,\"\")")]
    [InlineData(FilterOperator.Raw, "not(\"x\")", "", "not(\"x\")")]
    [InlineData(FilterOperator.Is, "say \"hi\"", "", "\"say \\\"hi\\\"\"")]
    public void Operators_BecomeS_FeelTestsTheEngineCompiles_AndReadBackAsTheSameRow(FilterOperator op, string value, string value2, string test)
    {
        var row = new FilterRow { Path = "x", Operator = op, Value = value, Value2 = value2 };

        Assert.Equal(test, FilterTests.Compose(row));
        Assert.NotNull(CompiledTriggerFilter.Compile(new TriggerFilter(FilterMatch.All, [new TriggerCondition("x", test)]), out var errors));
        Assert.Empty(errors);
        var back = FilterTests.Parse("x", test);
        Assert.Equal(test, FilterTests.Compose(back));
        if (op != FilterOperator.Raw)
        {
            Assert.Equal(op, back.Operator);
        }
    }

    [Theory]
    [InlineData("\"50\"")]
    [InlineData("\"Retail\", not really")]
    [InlineData("> 5, < 2")]
    public void Parse_KeepsATestTheBuilderCannotShowExactly_AsRawS_Feel(string test)
    {
        var row = FilterTests.Parse("x", test);

        Assert.Equal(FilterOperator.Raw, row.Operator);
        Assert.Equal(test, row.Value);
    }
}
