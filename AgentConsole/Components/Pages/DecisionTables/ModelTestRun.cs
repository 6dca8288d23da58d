using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Components.Pages.DecisionTables;

/// <summary>What the last evaluation of a model in the Test tab produced: the chosen decision and each decision it required.</summary>
public sealed record ModelTestRun(ModelTestRun.DecisionStep Result, IReadOnlyList<ModelTestRun.DecisionStep> Intermediates, string? Error)
{
    public static ModelTestRun From(DecisionResult result) =>
        new(DecisionStep.From(result), [.. result.Intermediates.Select(DecisionStep.From)], result.Error?.Message);

    /// <summary>One decision's result as JSON, with the ids of the rules that produced it.</summary>
    public sealed record DecisionStep(string Decision, string Json, IReadOnlyList<string> MatchedRules, bool UsedDefault)
    {
        public static DecisionStep From(DecisionResult r) =>
            new(r.DecisionName, DecisionValues.ToJson(r.Value)?.ToJsonString(DecisionJson.Options) ?? "null", [.. r.MatchedRuleIds], r.UsedDefaultOutput);
    }
}
