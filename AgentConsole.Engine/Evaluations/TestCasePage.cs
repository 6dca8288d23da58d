namespace AgentConsole.Engine.Evaluations;

/// <summary>One page of a set's cases in their order; <see cref="Total"/> counts the cases that match the filter.</summary>
public sealed record TestCasePage(IReadOnlyList<TestCase> Items, int Total, int Offset, int Limit);
