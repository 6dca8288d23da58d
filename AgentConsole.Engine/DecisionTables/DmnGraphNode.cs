namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// A node of a decision requirements graph. <see cref="HasTable"/> says whether the node's logic is a decision table
/// (the editor opens those in its grid); <see cref="TypeName"/> is the item definition of a structured or list value.
/// </summary>
public sealed record DmnGraphNode(string Name, DmnNodeKind Kind, bool HasTable, string? TypeName, bool IsMain);
