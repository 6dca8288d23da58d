namespace AgentConsole.Engine.Tools;

/// <summary>A particular call's cost to undo, when it is higher than the tool's declared estimate, and why.</summary>
public sealed record CallStakes(decimal CostToUndoUsd, string Reason);
