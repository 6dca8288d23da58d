using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using CsCheck;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>
/// A table whose inputs are paths into one record (<c>Lead.c0</c>, <c>Lead.c1</c>, typed by the model's item definition)
/// must analyse exactly like the same table over plain inputs typed on the columns, and the evaluator must confirm its
/// examples when given them as records: gaps match no rule, overlaps match both rules.
/// </summary>
public sealed class PathColumnAgreementTests
{
    private static (DmnModel Model, DecisionTableDefinition Table) AsPaths(AnalysisPropertyTests.TableSpec spec)
    {
        var flat = spec.ToDefinition();
        var table = flat with
        {
            Inputs = [.. flat.Inputs.Select(i => i with { Expression = "Lead." + i.Expression, TypeRef = null, AllowedValues = null })],
        };
        var model = new DmnModel
        {
            Name = "paths",
            Decisions = [table],
            InputData = [new InputData { Name = "Lead", TypeName = "tLead" }],
            ItemDefinitions =
            [
                new ItemDefinition
                {
                    Name = "tLead",
                    Components = [.. spec.Columns.Select((c, i) => new ItemDefinition
                    {
                        Name = $"c{i}",
                        TypeRef = c.Typed ? DmnText.TypeRefName(c.Type) : "Any",
                        AllowedValues = c.Allowed,
                    })],
                },
            ],
        };
        return (model, table);
    }

    private static TableAnalysisOptions Options(AnalysisPropertyTests.TableSpec spec, DmnModel? model = null) => new()
    {
        IncludeNullInputs = spec.IncludeNull,
        MaxReportedGaps = 10_000,
        MaxReportedOverlaps = 10_000,
        Model = model,
    };

    /// <summary>What a finding says, without the column names: kind, severity, rules and the example's values by column.</summary>
    private static List<string> Summary(TableAnalysis analysis, Func<int, string> key, int columns) =>
        [.. analysis.Findings.Select(f => $"{f.Kind} {f.Severity} [{string.Join(",", f.Rules)}] "
            + (f.Example is null ? "" : string.Join("|", Enumerable.Range(0, columns).Select(c => ValueKinds.Format(f.Example[key(c)]))))),
            $"partial={analysis.IsPartial} gaps={analysis.GapCount} overlaps={analysis.OverlapCount}"];

    [Fact]
    public void PathColumns_AnalyseLikePlainColumns()
    {
        AnalysisPropertyTests.Tables.Sample(spec =>
        {
            var (model, table) = AsPaths(spec);

            var plain = DecisionTableAnalyzer.Analyze(spec.ToDefinition(), Options(spec));
            var paths = DecisionTableAnalyzer.Analyze(table, Options(spec, model));

            Assert.Equal(Summary(plain, c => $"c{c}", spec.Columns.Length), Summary(paths, c => $"Lead.c{c}", spec.Columns.Length));
        }, iter: 300);
    }

    [Fact]
    public void PathColumnExamples_AreConfirmedByTheEvaluator_GivenAsRecords()
    {
        var checkedExamples = 0;
        AnalysisPropertyTests.Tables.Sample(spec =>
        {
            var (model, table) = AsPaths(spec);
            var analysis = DecisionTableAnalyzer.Analyze(table, Options(spec, model));
            var collect = CompiledDmnModel.Compile(model with { Decisions = [table with { HitPolicy = HitPolicy.Collect }] }).GetValueOrThrow();

            foreach (var gap in analysis.OfKind(FindingKind.Gap).Where(f => f.ExampleInputs is not null))
            {
                Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(gap.ExampleInputs!["Lead"]);
                var result = collect.Evaluate(table.Name, gap.ExampleInputs!);
                Assert.True(result.IsSuccess, result.Error?.Message);
                Assert.Empty(result.MatchedRuleIndexes);
                Interlocked.Increment(ref checkedExamples);
            }

            foreach (var overlap in analysis.OfKind(FindingKind.Overlap).Where(f => f.ExampleInputs is not null))
            {
                var result = collect.Evaluate(table.Name, overlap.ExampleInputs!);
                Assert.True(result.IsSuccess, result.Error?.Message);
                Assert.All(overlap.Rules, rule => Assert.Contains(rule, result.MatchedRuleIndexes));
                Interlocked.Increment(ref checkedExamples);
            }
        }, iter: 200);

        Assert.True(checkedExamples > 50, $"only {checkedExamples} examples were checked");
    }
}
