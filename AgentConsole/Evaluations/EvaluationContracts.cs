using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Evaluations;

namespace AgentConsole.Evaluations;

/// <summary>
/// Body of POST /api/v1/agents/{key}/evaluations; everything optional. <c>promptVersion</c> is a version id or number,
/// <c>testSet</c> a test set id, <c>decisions</c> decision key → version number.
/// </summary>
public sealed record StartEvaluationRequest(JsonElement? PromptVersion, JsonElement? TestSet, Dictionary<string, int>? Decisions);

public sealed record StartEvaluationResponse(Guid Id, string Status, Guid? BaselineEvaluationId);

public sealed record EvaluationProgressResponse(int Completed, int Total);

public sealed record EvaluationScoresResponse(int Passed, int Failed, int Errors, double? PassRate, int Escalated, double? EscalationRate, decimal CostUsd, decimal? CostPerCaseUsd);

public sealed record EvaluationCaseResponse(Guid Id, int Sequence, string Name, Guid? TestCaseId, string? Kind, Guid? SourceRunId, Guid? RunId, string Verdict,
    IReadOnlyList<string> Reasons, JsonNode? Diff, bool Escalated, decimal CostUsd, DateTimeOffset? CompletedAt)
{
    public static EvaluationCaseResponse From(EvaluationCaseView c) => new(c.Id, c.Sequence, c.Name, c.TestCaseId, c.Kind?.ToString(), c.SourceRunId, c.RunId,
        c.Verdict.ToString(), c.Reasons, c.Diff, c.Escalated, c.CostUsd, c.CompletedAt);
}

public sealed record EvaluationComparisonResponse(Guid? BaselineEvaluationId, string? BaselineStatus, double? BaselinePassRate, bool IsPublishedConfiguration,
    IReadOnlyList<CaseChange> Regressions, IReadOnlyList<CaseChange> Fixes, string Message)
{
    public static EvaluationComparisonResponse From(EvaluationComparison c) =>
        new(c.BaselineEvaluationId, c.BaselineStatus?.ToString(), c.BaselinePassRate, c.IsPublishedConfiguration, c.Regressions, c.Fixes, c.Message);
}

/// <summary>One evaluation as the list shows it.</summary>
public sealed record EvaluationSummaryResponse(Guid Id, string Agent, string Kind, string Status, Guid? TestSetId, Guid? PromptVersionId, int? PromptVersionNumber,
    IReadOnlyDictionary<string, int> Decisions, string? Provider, string? Model, EvaluationProgressResponse Progress, EvaluationScoresResponse Scores,
    Guid? BaselineEvaluationId, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt)
{
    public static EvaluationSummaryResponse From(Evaluation e) => new(e.Id, e.AgentKey, e.Kind.ToString(), e.Status.ToString(), e.TestSetId, e.PromptVersionId,
        e.PromptVersionNumber, DecisionVersionMap.Read(e.DecisionVersionsJson), e.Provider, e.ModelId, new(e.Completed, e.Total), ScoresOf(e, null),
        e.BaselineEvaluationId, e.CreatedAt, e.CreatedBy, e.StartedAt, e.CompletedAt);

    internal static EvaluationScoresResponse ScoresOf(Evaluation e, EvaluationDetail? detail) => new(e.Passed, e.Failed, e.Errors, e.PassRate, e.Escalated,
        detail?.EscalationRate ?? (e.Completed > 0 ? (double)e.Escalated / e.Completed : null), e.CostUsd,
        detail?.CostPerCase ?? (e.Completed > 0 ? e.CostUsd / e.Completed : null));
}

public sealed record EvaluationResponse(EvaluationSummaryResponse Evaluation, string? TestSetName, double Threshold, bool? MeetsThreshold,
    IReadOnlyList<EvaluationCaseResponse> Cases, EvaluationComparisonResponse Comparison)
{
    public static EvaluationResponse From(EvaluationDetail d) => new(
        EvaluationSummaryResponse.From(d.Evaluation) with { Scores = EvaluationSummaryResponse.ScoresOf(d.Evaluation, d) },
        d.TestSetName, d.Threshold, d.MeetsThreshold, [.. d.Cases.Select(EvaluationCaseResponse.From)], EvaluationComparisonResponse.From(d.Comparison));
}

public sealed record EvaluationPageResponse(IReadOnlyList<EvaluationSummaryResponse> Items, int? NextOffset);
