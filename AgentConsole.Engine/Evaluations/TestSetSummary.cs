namespace AgentConsole.Engine.Evaluations;

/// <summary>A test set as lists show it: its size and whether evaluations use it when none is named.</summary>
public sealed record TestSetSummary(Guid Id, string AgentKey, string Name, string? Description, bool IsDefault, int Cases,
    DateTimeOffset UpdatedAt, string UpdatedBy);
