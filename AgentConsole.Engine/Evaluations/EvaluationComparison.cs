namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// An evaluation compared with the latest completed evaluation of the agent's published configuration on the same test
/// set, matched by test case. <see cref="Message"/> says what the comparison is (or why there is none yet).
/// </summary>
public sealed record EvaluationComparison(
    Guid? BaselineEvaluationId,
    EvaluationStatus? BaselineStatus,
    double? BaselinePassRate,
    bool IsPublishedConfiguration,
    IReadOnlyList<CaseChange> Regressions,
    IReadOnlyList<CaseChange> Fixes,
    string Message);
