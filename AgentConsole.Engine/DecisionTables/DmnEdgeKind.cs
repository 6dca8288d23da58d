namespace AgentConsole.Engine.DecisionTables;

/// <summary>The kinds of requirement between nodes of a decision requirements graph.</summary>
public enum DmnEdgeKind
{
    /// <summary>A decision uses input data or another decision's result.</summary>
    Information,

    /// <summary>A decision (or a business knowledge model) invokes a business knowledge model.</summary>
    Knowledge,
}
