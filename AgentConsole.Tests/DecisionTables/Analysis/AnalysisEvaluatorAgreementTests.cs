using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>
/// The analysis and the evaluator must tell a user the same story: the examples the editor shows are run through
/// the real compiled evaluator (as a COLLECT table, so every matching rule is reported).
/// </summary>
public sealed class AnalysisEvaluatorAgreementTests
{
    [Fact]
    public void GapAndOverlapExamples_AreConfirmedByTheEvaluator()
    {
        var checkedExamples = 0;
        for (var seed = 1; seed <= 12; seed++)
        {
            checkedExamples += CheckExamples(AnalysisPerformanceTests.RandomTable(seed, seed % 2 == 0 ? HitPolicy.Unique : HitPolicy.First, dashes: seed % 3 != 0));
        }

        // Random 50-rule tables always have some gaps or overlaps; none checked would mean the test tested nothing.
        Assert.True(checkedExamples > 20, $"only {checkedExamples} examples were checked");
    }

    private static int CheckExamples(DecisionTableDefinition table)
    {
        var analysis = DecisionTableAnalyzer.Analyze(table);
        var collect = CompiledDecisionTable.Compile(table with { HitPolicy = HitPolicy.Collect }).GetValueOrThrow();
        var checkedExamples = 0;

        foreach (var gap in analysis.OfKind(FindingKind.Gap).Where(f => f.Example is not null))
        {
            var result = collect.Evaluate(gap.Example!);
            Assert.True(result.IsSuccess, result.Error?.Message);
            Assert.Empty(result.MatchedRuleIndexes);
            checkedExamples++;
        }

        foreach (var overlap in analysis.OfKind(FindingKind.Overlap).Where(f => f.Example is not null))
        {
            var result = collect.Evaluate(overlap.Example!);
            Assert.True(result.IsSuccess, result.Error?.Message);
            Assert.All(overlap.Rules, rule => Assert.Contains(rule, result.MatchedRuleIndexes));
            checkedExamples++;
        }

        return checkedExamples;
    }

    [Fact]
    public void PracticeGuideGap_IsAnInputTheEvaluatorLeavesUnrouted()
    {
        var table = LeadRoutingTable.Create();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).OfKind(FindingKind.Gap));
        var result = CompiledDecisionTable.Compile(table).GetValueOrThrow().Evaluate(gap.Example!);

        Assert.Equal(10m, gap.Example!["employees"]);
        Assert.True(result.IsSuccess);
        Assert.Null(result.Value);
        Assert.Empty(result.MatchedRuleIndexes);
    }
}
