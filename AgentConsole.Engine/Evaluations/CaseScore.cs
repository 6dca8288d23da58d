namespace AgentConsole.Engine.Evaluations;

/// <summary>A case's verdict: passed when every expectation it states held; otherwise one sentence per failed expectation.</summary>
public sealed record CaseScore(bool Passed, IReadOnlyList<string> Reasons);
