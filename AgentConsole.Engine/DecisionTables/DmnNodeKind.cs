namespace AgentConsole.Engine.DecisionTables;

/// <summary>The kinds of node of a decision requirements graph.</summary>
public enum DmnNodeKind
{
    Decision,
    InputData,
    KnowledgeModel,
}
