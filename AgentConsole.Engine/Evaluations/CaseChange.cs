namespace AgentConsole.Engine.Evaluations;

/// <summary>A test case whose verdict differs from the baseline's: a regression (passed there, fails here) or a fix.</summary>
public sealed record CaseChange(Guid TestCaseId, string Name, IReadOnlyList<string> Reasons);
