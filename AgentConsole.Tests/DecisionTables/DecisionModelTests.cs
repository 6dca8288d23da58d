using AgentConsole.Engine.DecisionTables;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>Stored decisions as whole DMN models: import, the main decision, the requirements graph, saves and old rows.</summary>
public sealed class DecisionModelTests : IAsyncLifetime
{
    public static readonly string LeadModelPath = Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Models", "lead-routing-model.dmn");

    private TestDatabase _db = default!;

    private DecisionCatalog Catalog => _db.Get<DecisionCatalog>();

    private DecisionWorkbench Workbench => new(Catalog, new Engine.Evaluations.PublishGate(_db.Contexts));

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static LiteralExpressionDecision Literal(string name, string expression) =>
        new() { Name = name, Expression = expression, TypeRef = FeelType.Number };

    /// <summary>"Total" uses "Base", which uses the input "x"; the top decision is listed first on purpose.</summary>
    private static DmnModel TwoLevel() => new()
    {
        Name = "Totals",
        InputData = [new InputData { Name = "x", TypeRef = FeelType.Number }],
        Decisions = [Literal("Total", "Base + 1"), Literal("Base", "x * 2")],
    };

    private async Task<LoadedDecision> ImportLeadModelAsync()
    {
        var outcome = await new DecisionImport(Catalog).ImportAsync(await File.ReadAllTextAsync(LeadModelPath), "owner@example.com");
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        var imported = Assert.Single(outcome.Imported);
        return (await Catalog.LoadAsync(imported.Key))!;
    }

    [Fact]
    public async Task Import_StoresOneDecisionHoldingTheWholeModel_WhenTheFileHasTwoLevels()
    {
        var loaded = await ImportLeadModelAsync();

        Assert.Equal("Lead routing", loaded.Decision.Name);
        Assert.Equal("lead-routing", loaded.Decision.Key);
        Assert.Equal(["Lead score", "Lead routing"], loaded.Model.Decisions.Select(d => d.Name));
        Assert.Equal("Lead routing", loaded.Model.MainDecision);
        Assert.Equal("Lead routing", loaded.Definition.Name);
        Assert.Equal("Lead model", loaded.Model.Name);
        // Paths into the Lead record are not inputs of their own, and a required decision is not input data.
        Assert.Equal(["Lead"], loaded.Model.InputData.Select(i => i.Name));
        Assert.Equal(["lead-routing"], (await Catalog.ListAsync()).Select(d => d.Key));
    }

    [Fact]
    public async Task List_DescribesTheShape_OnlyForModelsThatAreMoreThanOneTable()
    {
        await ImportLeadModelAsync();
        await Catalog.CreateAsync(new DmnModel { Name = "Flat", Decisions = [Literal("Flat", "1")] }, "owner");

        var list = await Catalog.ListAsync();

        Assert.Equal("2 decisions", list.Single(d => d.Name == "Lead routing").Shape);
        Assert.Null(list.Single(d => d.Name == "Flat").Shape);
    }

    [Fact]
    public async Task Import_KeepsTheOldShape_WhenTheFileHasOneDecision()
    {
        var xml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "DecisionTables", "Tck", "0004-simpletable-U", "0004-simpletable-U.dmn"));

        var outcome = await new DecisionImport(Catalog).ImportAsync(xml, "owner");

        var loaded = (await Catalog.LoadAsync(Assert.Single(outcome.Imported).Key))!;
        Assert.Equal("Approval Status", loaded.Model.Name);
        Assert.Null(loaded.Model.MainDecision);
        Assert.Equal("Approval Status", loaded.Definition.Name);
    }

    [Fact]
    public void Main_IsTheDecisionNoOtherRequires_WhenTheModelNamesNone()
    {
        Assert.Equal("Total", TwoLevel().Main().Name);
        Assert.Equal("Base", (TwoLevel() with { MainDecision = "Base" }).Main().Name);
        Assert.Equal("Total", (TwoLevel() with { MainDecision = "Missing" }).Main().Name);
    }

    [Fact]
    public void Graph_HasAnInformationRequirement_PerNameADecisionUses()
    {
        var graph = TwoLevel().Graph();

        Assert.Equal(
            [new DmnGraphEdge("Base", "Total", DmnEdgeKind.Information), new DmnGraphEdge("x", "Base", DmnEdgeKind.Information)],
            graph.Edges.OrderBy(e => e.From, StringComparer.Ordinal));
        Assert.Equal([("x", DmnNodeKind.InputData), ("Total", DmnNodeKind.Decision), ("Base", DmnNodeKind.Decision)], graph.Nodes.Select(n => (n.Name, n.Kind)));
        Assert.True(graph.Nodes.Single(n => n.Name == "Total").IsMain);
    }

    [Fact]
    public async Task Graph_LinksTheLeadInputToBothTables_AndTheScoreToTheRouting()
    {
        var graph = (await ImportLeadModelAsync()).Model.Graph();

        Assert.Contains(new DmnGraphEdge("Lead score", "Lead routing", DmnEdgeKind.Information), graph.Edges);
        Assert.Contains(new DmnGraphEdge("Lead", "Lead score", DmnEdgeKind.Information), graph.Edges);
        Assert.Contains(new DmnGraphEdge("Lead", "Lead routing", DmnEdgeKind.Information), graph.Edges);
    }

    [Fact]
    public void Graph_HasAKnowledgeRequirement_WhenADecisionInvokesAKnowledgeModel()
    {
        var model = TwoLevel() with
        {
            Decisions = [Literal("Total", "Double(Base) + 1"), Literal("Base", "x * 2")],
            KnowledgeModels =
            [
                new BusinessKnowledgeModel
                {
                    Name = "Double",
                    Parameters = [new KnowledgeParameter { Name = "n", TypeRef = FeelType.Number }],
                    Body = Literal("Double", "n * 2"),
                },
            ],
        };

        var graph = model.Graph();

        Assert.Contains(new DmnGraphEdge("Double", "Total", DmnEdgeKind.Knowledge), graph.Edges);
        Assert.Equal(DmnNodeKind.KnowledgeModel, graph.Nodes.Single(n => n.Name == "Double").Kind);
        Assert.Equal("2 decisions, 1 knowledge model", model.Describe());
    }

    [Fact]
    public async Task Evaluate_RunsTheMainDecisionWithItsRequiredDecision_AndReportsItAsIntermediate()
    {
        var created = await Catalog.CreateAsync(TwoLevel(), "owner");
        
        var main = await Workbench.EvaluateAsync(created.Decision.Key, new Dictionary<string, object?> { ["x"] = 4m }, trace: true);
        var inner = await Workbench.EvaluateAsync(created.Decision.Key, new Dictionary<string, object?> { ["x"] = 4m }, decision: "Base");

        Assert.Equal("Total", created.Decision.Name);
        Assert.Equal(9m, main!.Result.Value);
        Assert.Equal(("Base", (object?)8m), main.Result.Intermediates.Select(r => (r.DecisionName, r.Value)).Single());
        Assert.Equal(8m, inner!.Result.Value);
    }

    [Fact]
    public async Task SaveDraft_RefusesDecisionsThatRequireEachOther_NamingTheCycle()
    {
        var created = await Catalog.CreateAsync(TwoLevel(), "owner");
        var cyclic = TwoLevel() with { Decisions = [Literal("Total", "Base + 1"), Literal("Base", "Total * 2")] };

        var result = await Catalog.SaveDraftAsync(created.Decision.Key, cyclic, created.Version.Revision, "owner");

        Assert.Equal(DecisionChangeOutcome.Invalid, result.Outcome);
        Assert.Contains("cycle", result.Message, StringComparison.Ordinal);
        Assert.Contains("→", result.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.Errors);
        Assert.Equal(TwoLevel().Decisions, (await Catalog.LoadAsync(created.Decision.Key))!.Model.Decisions);
    }

    [Fact]
    public async Task SaveDraft_ReplacesOneDecisionByName_AndDiffNamesIt()
    {
        var created = await Catalog.CreateAsync(TwoLevel(), "owner");
        var edited = created.Model with { Decisions = [Literal("Total", "Base + 2"), Literal("Base", "x * 2")] };

        var saved = await Catalog.SaveDraftAsync(created.Decision.Key, edited, created.Version.Revision, "owner");

        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal("Total", saved.Decision!.Decision.Name);
        var change = Assert.Single(DecisionDiff.Compare(created.Model, edited));
        Assert.Equal("Total: expression", change.Item);
        Assert.Equal("Base + 2", change.To);
    }

    [Fact]
    public async Task Load_ReadsARowStoredBeforeModels_AsItsOnlyDecision()
    {
        // A version row as the console wrote it before whole models: one decision, no main decision, no item definitions.
        const string oldJson = """
            {"id":"","name":"Old routing","namespace":"","decisions":[{"kind":"decisionTable","tableId":"","hitPolicy":"Unique","aggregator":"None",
            "inputs":[{"id":"in1","expression":"employees","expressionId":"","typeRef":"Number"}],"outputs":[{"id":"out1","name":"route","typeRef":"String","outputValues":[]}],
            "rules":[{"id":"r1","inputEntries":["< 10"],"outputEntries":["\"SMB\""],"annotations":[]}],"annotationColumns":[],"id":"d1","name":"Old routing"}],
            "inputData":[{"id":"input_employees","name":"employees","typeRef":"Number"}]}
            """;
        var created = await Catalog.CreateAsync(TwoLevel(), "owner");
        await using (var db = await _db.Contexts.CreateDbContextAsync())
        {
            var row = await db.Set<DecisionVersion>().SingleAsync(v => v.Id == created.Version.Id);
            row.ModelJson = oldJson;
            await db.SaveChangesAsync();
        }

        var loaded = (await Catalog.LoadAsync(created.Decision.Key))!;
        var evaluation = await Workbench.EvaluateAsync(created.Decision.Key, new Dictionary<string, object?> { ["employees"] = 3m });

        Assert.Equal("Old routing", loaded.Definition.Name);
        Assert.False(loaded.Model.HasGraph());
        Assert.Equal("SMB", evaluation!.Result.Value);
    }

    [Fact]
    public async Task EvaluatePublished_RunsTheMainDecision_OfAModelBoundToAnAgent()
    {
        var created = await Catalog.CreateAsync(TwoLevel(), "owner", "scorer");
        await Catalog.PublishDraftAsync(created.Decision.Key, "owner");

        var published = Assert.Single(await Catalog.ListPublishedAsync("scorer"));
        var evaluation = await Workbench.EvaluatePublishedAsync(published, new Dictionary<string, object?> { ["x"] = 1m });

        Assert.Equal("Total", evaluation!.Result.DecisionName);
        Assert.Equal(3m, evaluation.Result.Value);
    }
}
