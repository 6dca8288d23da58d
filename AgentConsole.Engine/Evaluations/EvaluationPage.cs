namespace AgentConsole.Engine.Evaluations;

/// <summary>One page of an agent's evaluations, newest first; <see cref="NextOffset"/> is null on the last page.</summary>
public sealed record EvaluationPage(IReadOnlyList<Evaluation> Items, int? NextOffset);
