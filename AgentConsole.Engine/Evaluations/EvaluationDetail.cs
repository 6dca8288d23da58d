namespace AgentConsole.Engine.Evaluations;

/// <summary>An evaluation with its cases, scores and the comparison with the published configuration.</summary>
public sealed record EvaluationDetail(Evaluation Evaluation, string? TestSetName, IReadOnlyList<EvaluationCaseView> Cases, EvaluationComparison Comparison, double Threshold)
{
    /// <summary>Once complete: whether the pass rate reached the agent's publish threshold.</summary>
    public bool? MeetsThreshold => Evaluation.PassRate is { } rate ? rate >= Threshold : null;

    /// <summary>Share of finished cases whose run handed the case to a person (or would have).</summary>
    public double? EscalationRate => Evaluation.Completed > 0 ? (double)Evaluation.Escalated / Evaluation.Completed : null;

    public decimal? CostPerCase => Evaluation.Completed > 0 ? Evaluation.CostUsd / Evaluation.Completed : null;
}
