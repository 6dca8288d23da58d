using System.Runtime.CompilerServices;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The one place that answers "which decision of a model is the decision" and "how do its parts depend on each other".
/// A stored decision holds a whole DMN model; callers, agents and the editor use its main decision unless they name
/// another one.
/// </summary>
public static class DmnModelGraph
{
    // Models are immutable records parsed once per stored version, so the derived graph can live as long as the model.
    private static readonly ConditionalWeakTable<DmnModel, DmnGraph> Graphs = [];

    /// <summary>
    /// The decision evaluated when nobody names one: <see cref="DmnModel.MainDecision"/> when it names a decision of
    /// the model, otherwise the top decision (one no other decision requires; the last such one when there are several).
    /// </summary>
    public static DmnDecision Main(this DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Decisions.Count == 0)
        {
            throw new InvalidOperationException($"The model '{model.Name}' has no decision.");
        }

        if (model.Decisions.Count == 1)
        {
            return model.Decisions[0];
        }

        if (model.MainDecision is { } named && model.FindDecision(named) is { } main)
        {
            return main;
        }

        return model.FindDecision(model.Graph().MainDecision!)!;
    }

    /// <summary>True when the model is more than one flat table: several decisions, a knowledge model or structured input data.</summary>
    public static bool HasGraph(this DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Decisions.Count > 1 || model.KnowledgeModels.Count > 0 || model.InputData.Any(i => i.TypeName is not null);
    }

    /// <summary>"3 decisions, 1 knowledge model": how the decision list describes a model that is more than one table.</summary>
    public static string Describe(this DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parts = new List<string> { Count(model.Decisions.Count, "decision") };
        if (model.KnowledgeModels.Count > 0)
        {
            parts.Add(Count(model.KnowledgeModels.Count, "knowledge model"));
        }

        return string.Join(", ", parts);

        static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
    }

    /// <summary>The model's decision requirements graph (derived once per model instance).</summary>
    public static DmnGraph Graph(this DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Graphs.GetValue(model, Derive);
    }

    private static DmnGraph Derive(DmnModel model)
    {
        var inputNames = model.InputData.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var decisionNames = model.Decisions.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var knowledgeNames = model.KnowledgeModels.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        var names = new FeelNames(inputNames.Concat(decisionNames).Concat(knowledgeNames));

        var edges = new List<DmnGraphEdge>();
        foreach (var decision in model.Decisions)
        {
            foreach (var name in DecisionReferences.Collect(decision, names).Order(StringComparer.Ordinal))
            {
                if (inputNames.Contains(name) || decisionNames.Contains(name))
                {
                    edges.Add(new DmnGraphEdge(name, decision.Name, DmnEdgeKind.Information));
                }
            }

            foreach (var called in CalledKnowledgeModels(decision, names, knowledgeNames))
            {
                edges.Add(new DmnGraphEdge(called, decision.Name, DmnEdgeKind.Knowledge));
            }
        }

        foreach (var knowledge in model.KnowledgeModels)
        {
            // Inside its body a knowledge model sees its parameters, and may invoke other knowledge models.
            var bodyNames = new FeelNames(knowledge.Parameters.Select(p => p.Name).Concat(knowledgeNames));
            foreach (var called in CalledKnowledgeModels(knowledge.Body, bodyNames, knowledgeNames).Where(c => c != knowledge.Name))
            {
                edges.Add(new DmnGraphEdge(called, knowledge.Name, DmnEdgeKind.Knowledge));
            }
        }

        var required = edges.Where(e => e.Kind == DmnEdgeKind.Information && decisionNames.Contains(e.From)).Select(e => e.From).ToHashSet(StringComparer.Ordinal);
        var declared = model.MainDecision is { } m && decisionNames.Contains(m) ? m : null;
        var main = declared
            ?? model.Decisions.LastOrDefault(d => !required.Contains(d.Name))?.Name
            ?? (model.Decisions.Count > 0 ? model.Decisions[^1].Name : null);

        var nodes = new List<DmnGraphNode>();
        nodes.AddRange(model.InputData.Select(i => new DmnGraphNode(i.Name, DmnNodeKind.InputData, false, i.TypeName, false)));
        nodes.AddRange(model.Decisions.Select(d => new DmnGraphNode(d.Name, DmnNodeKind.Decision, d is DecisionTableDefinition, d.TypeName, d.Name == main)));
        nodes.AddRange(model.KnowledgeModels.Select(k => new DmnGraphNode(k.Name, DmnNodeKind.KnowledgeModel, k.Body is DecisionTableDefinition, k.TypeName, false)));
        return new DmnGraph(nodes, edges, main);
    }

    /// <summary>The knowledge models a decision's texts invoke as <c>Name(...)</c>, in name order.</summary>
    private static SortedSet<string> CalledKnowledgeModels(DmnDecision decision, FeelNames names, HashSet<string> knowledgeNames)
    {
        var calls = new SortedSet<string>(StringComparer.Ordinal);
        if (knowledgeNames.Count == 0)
        {
            return calls;
        }

        foreach (var (text, isTest) in DecisionTexts.Of(decision))
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            object? tree = isTest ? FeelParser.ParseUnaryTests(text, names).Value : FeelParser.ParseExpression(text, names).Value;
            if (tree is not null)
            {
                calls.UnionWith(FeelTree.Descendants(tree).OfType<FeelFunctionCall>().Select(c => c.Function));
            }
        }

        calls.IntersectWith(knowledgeNames);
        return calls;
    }

}
