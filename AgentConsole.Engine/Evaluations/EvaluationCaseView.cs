namespace AgentConsole.Engine.Evaluations;

/// <summary>One case of an evaluation as pages and the API show it: its verdict with the reasons and the run to look at.</summary>
public sealed record EvaluationCaseView(
    Guid Id,
    int Sequence,
    string Name,
    Guid? TestCaseId,
    TestCaseKind? Kind,
    Guid? SourceRunId,
    Guid? RunId,
    CaseVerdict Verdict,
    IReadOnlyList<string> Reasons,
    string? DiffJson,
    bool Escalated,
    decimal CostUsd,
    DateTimeOffset? CompletedAt)
{
    /// <summary>A replay's comparison with the historical run, parsed (null when there is none).</summary>
    public System.Text.Json.Nodes.JsonNode? Diff => CaseScoring.Parse(DiffJson);
}
