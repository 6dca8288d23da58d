using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>Analysis of tables whose inputs are paths into structured input data, or lists.</summary>
public sealed class StructuredInputAnalysisTests
{
    /// <summary>tLead = { employees: number, industry: tIndustry ("Tech","Retail","Health"), contacts: list of tContact }.</summary>
    internal static DmnModel LeadModel(DecisionTableDefinition table, params InputData[] more) => new()
    {
        Name = "Leads",
        Decisions = [table],
        InputData = [new InputData { Name = "Lead", TypeName = "tLead" }, .. more],
        ItemDefinitions =
        [
            new ItemDefinition { Name = "tIndustry", TypeRef = "string", AllowedValues = "\"Tech\",\"Retail\",\"Health\"" },
            new ItemDefinition { Name = "tContact", Components = [new ItemDefinition { Name = "role", TypeRef = "string" }] },
            new ItemDefinition
            {
                Name = "tLead",
                Components =
                [
                    new ItemDefinition { Name = "employees", TypeRef = "number" },
                    new ItemDefinition { Name = "industry", TypeRef = "tIndustry" },
                    new ItemDefinition { Name = "contacts", TypeRef = "tContact", IsCollection = true },
                    new ItemDefinition
                    {
                        Name = "address",
                        Components = [new ItemDefinition { Name = "country", TypeRef = "string", AllowedValues = "\"DE\",\"FR\"" }],
                    },
                ],
            },
            new ItemDefinition { Name = "tProducts", TypeRef = "string", IsCollection = true },
        ],
    };

    private static TableAnalysis AnalyzeInModel(DmnModel model) => DecisionWorkbench.Analyze(model)!;

    /// <summary>The analysis is partial because of exactly one cell, for <paramref name="reason"/>, and claims no gap or overlap.</summary>
    private static PartialCell OnlyPartialCell(TableAnalysis analysis, string reason)
    {
        Assert.True(analysis.IsPartial);
        var cell = Assert.Single(analysis.PartialCells);
        Assert.Contains(reason, cell.Reason, StringComparison.Ordinal);
        Assert.Empty(analysis.OfKind(FindingKind.Gap));
        Assert.Empty(analysis.OfKind(FindingKind.Overlap));
        return cell;
    }

    [Fact]
    public void PathColumn_IsAnalysedLikeAPlainInput_AndItsGapNamesTheExpression()
    {
        var table = new TableBuilder().Input("Lead.employees", FeelType.Number)
            .Rule("< 10", "\"small\"")
            .Rule("> 10", "\"large\"")
            .Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal(FindingKind.Gap, gap.Kind);
        Assert.Equal(10m, gap.Example!["Lead.employees"]);
        Assert.Contains("Lead.employees = 10", gap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathColumn_TakesTypeAndAllowedValuesFromTheModelsItemDefinitions()
    {
        // Untyped columns: the model says employees is a number and industry one of three strings.
        var table = new TableBuilder().Input("Lead.employees").Input("Lead.industry")
            .Rule("< 10", "\"Tech\",\"Retail\"", "\"a\"")
            .Rule(">= 10", "-", "\"b\"")
            .Build();

        var analysis = AnalyzeInModel(LeadModel(table));

        var gap = Assert.Single(analysis.OfKind(FindingKind.Gap));
        Assert.False(analysis.IsPartial);
        Assert.Equal("Health", gap.Example!["Lead.industry"]);
        Assert.True((decimal)gap.Example["Lead.employees"]! < 10m);
        var lead = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(gap.ExampleInputs!["Lead"]);
        Assert.Equal("Health", lead["industry"]);
        Assert.Equal(gap.Example["Lead.employees"], lead["employees"]);

        // Without the model the industry column is any string: the gap is every other string, not just "Health".
        var alone = DecisionTableAnalyzer.Analyze(table);
        var anyString = Assert.Single(alone.OfKind(FindingKind.Gap)).Example!["Lead.industry"];
        Assert.IsType<string>(anyString);
        Assert.NotEqual("Health", anyString);
    }

    [Fact]
    public void PathColumn_ReportsLiteralsOutsideTheTypesAllowedValues_AndOfTheWrongType()
    {
        var table = new TableBuilder().Input("Lead.industry").Input("Lead.employees")
            .Rule("\"Mining\"", "-", "\"a\"")
            .Rule("-", "\"many\"", "\"b\"")
            .Rule("-", "-", "\"c\"")
            .Build();

        var analysis = AnalyzeInModel(LeadModel(table) with { Decisions = [table with { HitPolicy = HitPolicy.First }] });

        var outside = Assert.Single(analysis.OfKind(FindingKind.OutsideAllowedValues));
        Assert.Contains("\"Mining\" is not one of its allowed values \"Tech\",\"Retail\",\"Health\" (from its type tIndustry)", outside.Message, StringComparison.Ordinal);
        var type = Assert.Single(analysis.OfKind(FindingKind.TypeError));
        Assert.Contains("\"many\" is a string, not a number", type.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedPath_UsesTheNestedComponentsType()
    {
        var table = new TableBuilder().Input("Lead.address.country").Rule("\"DE\"", "\"a\"").Build();

        var gap = Assert.Single(AnalyzeInModel(LeadModel(table)).OfKind(FindingKind.Gap));

        Assert.Equal("FR", gap.Example!["Lead.address.country"]);
        var address = ((IReadOnlyDictionary<string, object?>)gap.ExampleInputs!["Lead"]!)["address"];
        Assert.Equal("FR", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(address)["country"]);
    }

    [Fact]
    public void ListInput_IsPartial_WithTheReason_AndNoGapIsClaimed()
    {
        var table = new TableBuilder().Input("Products").Input("Lead.employees")
            .Rule("\"Widget\"", "< 10", "\"a\"")
            .Rule("-", ">= 10", "\"b\"")
            .Build();

        var analysis = AnalyzeInModel(LeadModel(table, new InputData { Name = "Products", TypeName = "tProducts" }));

        var cell = OnlyPartialCell(analysis, "'Products' is a list (tProducts)");
        Assert.Equal((0, "r1", 0, "Products", "\"Widget\""), (cell.RuleIndex, cell.RuleId, cell.Column, cell.Input, cell.Text));
    }

    [Fact]
    public void PathThroughACollection_IsAList_AndPartial()
    {
        var table = new TableBuilder().Input("Lead.contacts.role").Rule("\"CTO\"", "\"a\"").Build();

        var analysis = AnalyzeInModel(LeadModel(table));

        OnlyPartialCell(analysis, "'Lead.contacts.role' is a list");
    }

    [Fact]
    public void CellsComparingWithAnotherInput_AreListedAsPartialCells_WithRuleAndColumn()
    {
        var table = new TableBuilder().Input("Lead.employees", FeelType.Number).Input("Max Amount", FeelType.Number)
            .Rule("<= Max Amount", "-", "\"ok\"")
            .Rule("[0..10]", "-", "\"small\"")
            .Build();

        var analysis = DecisionTableAnalyzer.Analyze(table);

        // Rule 1 might cover anything, so no gap is claimed; it might match nothing, so no overlap is claimed either.
        var cell = OnlyPartialCell(analysis, "compares with 'Max Amount'");
        Assert.Equal((0, "r1", 0, "Lead.employees", "<= Max Amount"), (cell.RuleIndex, cell.RuleId, cell.Column, cell.Input, cell.Text));
    }

    [Fact]
    public void ExactTable_HasNoPartialCells()
    {
        var analysis = DecisionTableAnalyzer.Analyze(LeadRoutingTable.Create());

        Assert.False(analysis.IsPartial);
        Assert.Empty(analysis.PartialCells);
    }

    [Fact]
    public void PathColumnsReadingTheSameValue_AreOneVariable()
    {
        var table = new TableBuilder().Input("Lead.employees").Input("Lead.employees")
            .Rule(">= 10", "< 50", "\"mid\"")
            .Rule("< 10", "-", "\"small\"")
            .Build();

        var gap = Assert.Single(AnalyzeInModel(LeadModel(table)).OfKind(FindingKind.Gap));

        Assert.Equal(50m, gap.Example!["Lead.employees"]);
    }

    [Fact]
    public void ListValuedEntries_AreExact()
    {
        var table = new TableBuilder().Input("Lead.industry")
            .Rule("[\"Tech\", \"Retail\"]", "\"a\"")
            .Rule("[\"Health\"]", "\"b\"")
            .Build();
        var gapped = table with { Rules = [table.Rules[0]] };

        var covered = AnalyzeInModel(LeadModel(table));
        var gap = Assert.Single(AnalyzeInModel(LeadModel(gapped)).OfKind(FindingKind.Gap));

        Assert.False(covered.IsPartial);
        Assert.Empty(covered.Findings);
        Assert.Equal("Health", gap.Example!["Lead.industry"]);
    }

    [Fact]
    public void QuestionMarkTestsOnConstants_AreExact_ForPresentInputs()
    {
        var table = new TableBuilder().Input("Lead.employees")
            .Rule("? in [0..10)", "\"small\"")
            .Rule("? > 10 and ? <= 500", "\"mid\"")
            .Build();

        var analysis = AnalyzeInModel(LeadModel(table));

        Assert.False(analysis.IsPartial);
        var gaps = analysis.OfKind(FindingKind.Gap).Select(g => g.Example!["Lead.employees"]).ToList();
        Assert.Equal(3, gaps.Count);
        Assert.Contains(10m, gaps);
    }

    [Theory]
    [InlineData("? < Max Amount", "'Max Amount'")]
    [InlineData("Allowed Industries", "'Allowed Industries'")]
    [InlineData("some i in Allowed Industries satisfies i = ?", "'some … satisfies'")]
    [InlineData("starts with(?, \"T\")", "starts with(…)")]
    public void EntriesDependingOnOtherInputsOrLists_ArePartialCells_AndNoGapIsGuessed(string entry, string reason)
    {
        var table = new TableBuilder().Input("Lead.industry")
            .Rule(entry, "\"a\"")
            .Rule("\"Health\"", "\"b\"")
            .Build();
        var model = LeadModel(table,
            new InputData { Name = "Max Amount", TypeRef = FeelType.Number },
            new InputData { Name = "Allowed Industries", TypeName = "tProducts" });

        var analysis = AnalyzeInModel(model);

        Assert.Empty(analysis.OfKind(FindingKind.ParseError));
        var cell = OnlyPartialCell(analysis, reason);
        Assert.Equal((0, "r1", 0, entry), (cell.RuleIndex, cell.RuleId, cell.Column, cell.Text));
    }
}
