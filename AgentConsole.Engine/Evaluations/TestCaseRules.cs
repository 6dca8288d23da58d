namespace AgentConsole.Engine.Evaluations;

/// <summary>What a case of one agent may name: its decisions, the tools it can call, and the largest input a run accepts.</summary>
public sealed record TestCaseRules(IReadOnlySet<string> Decisions, IReadOnlySet<string> Tools, int MaxInputBytes);
