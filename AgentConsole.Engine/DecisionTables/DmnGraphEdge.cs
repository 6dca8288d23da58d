namespace AgentConsole.Engine.DecisionTables;

/// <summary>A requirement: <see cref="To"/> requires <see cref="From"/> (arrows point the way information flows).</summary>
public sealed record DmnGraphEdge(string From, string To, DmnEdgeKind Kind);
