namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The decision requirements graph of a model: input data, decisions and business knowledge models, and the
/// requirements between them, derived from the names each decision's texts use (DMN files may declare requirements
/// too; the texts are what evaluation follows, so they are the truth shown).
/// </summary>
public sealed record DmnGraph(IReadOnlyList<DmnGraphNode> Nodes, IReadOnlyList<DmnGraphEdge> Edges, string? MainDecision)
{
    public int DecisionCount => Nodes.Count(n => n.Kind == DmnNodeKind.Decision);

    public int KnowledgeModelCount => Nodes.Count(n => n.Kind == DmnNodeKind.KnowledgeModel);

    /// <summary>The names <paramref name="name"/> requires directly, by kind of requirement.</summary>
    public IEnumerable<string> Requirements(string name, DmnEdgeKind kind) =>
        Edges.Where(e => e.Kind == kind && string.Equals(e.To, name, StringComparison.Ordinal)).Select(e => e.From);
}
