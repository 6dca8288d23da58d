using System.Globalization;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using Xunit.Abstractions;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>
/// Large tables are analysed exactly (never partial) and deterministically. How fast is measured by the decision
/// benchmarks in bench/, not here: timing thresholds do not belong in unit tests.
/// </summary>
public sealed class AnalysisPerformanceTests(ITestOutputHelper output)
{
    private static readonly string[] Segments = ["\"SMB\"", "\"Mid\"", "\"Enterprise\"", "\"Public\"", "\"Partner\""];

    /// <summary>50 rules over five inputs of four types, each cell a random range, comparison, list, negation or "-".</summary>
    internal static DecisionTableDefinition RandomTable(int seed, HitPolicy policy, bool dashes = true)
    {
        var random = new Random(seed);
        var first = dashes ? 0 : 1;
        string Number(int scale) => (random.Next(0, 20) * scale).ToString(CultureInfo.InvariantCulture);
        string NumberCell(int scale)
        {
            var (a, b) = (Number(scale), Number(scale));
            return random.Next(first, 6) switch
            {
                0 => "-",
                1 => $"< {a}",
                2 => $">= {a}",
                3 => $"[{a}..{b}]",
                4 => $"({a}..{b}]",
                _ => $"not([{a}..{b}])",
            };
        }

        string SegmentCell() => random.Next(first, 4) switch
        {
            0 => "-",
            1 => Segments[random.Next(Segments.Length)],
            2 => $"{Segments[random.Next(Segments.Length)]}, {Segments[random.Next(Segments.Length)]}",
            _ => $"not({Segments[random.Next(Segments.Length)]})",
        };

        string DateCell()
        {
            var day = new DateOnly(2026, 1, 1).AddDays(random.Next(0, 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return random.Next(first, 3) switch { 0 => "-", 1 => $"< date(\"{day}\")", _ => $">= date(\"{day}\")" };
        }

        var builder = new TableBuilder(policy)
            .Input("employees", FeelType.Number).Input("revenue", FeelType.Number).Input("segment", FeelType.String)
            .Input("existing customer", FeelType.Boolean).Input("signed", FeelType.Date);
        for (var r = 0; r < 50; r++)
        {
            builder.Rule(NumberCell(50), NumberCell(100_000), SegmentCell(), random.Next(first, 3) switch { 0 => "-", 1 => "true", _ => "false" }, DateCell(), $"\"route {r % 7}\"");
        }

        return builder.Build();
    }

    [Theory]
    [InlineData(HitPolicy.Unique, true)]
    [InlineData(HitPolicy.Unique, false)]
    [InlineData(HitPolicy.First, true)]
    [InlineData(HitPolicy.First, false)]
    [InlineData(HitPolicy.Priority, true)]
    public void FiftyRulesByFiveInputs_AreAnalysedExactly_AndTheSameEveryTime(HitPolicy policy, bool dashes)
    {
        var times = new List<TimeSpan>();
        for (var seed = 1; seed <= 20; seed++)
        {
            var table = RandomTable(seed, policy, dashes);
            var runs = Enumerable.Range(0, 3).Select(_ => DecisionTableAnalyzer.Analyze(table)).ToList();
            var analysis = runs[0];
            output.WriteLine($"seed {seed}: {analysis.Duration.TotalMilliseconds:F1} ms, {analysis.SearchSteps} steps, {analysis.GapCount} gaps, {analysis.OverlapCount} overlaps, {analysis.Findings.Count} findings");
            Assert.False(analysis.IsPartial);
            Assert.All(runs, r => Assert.Equal(analysis.Findings.Select(f => f.ToString()), r.Findings.Select(f => f.ToString())));
            times.Add(analysis.Duration);
        }

        times.Sort();
        output.WriteLine($"median {times[times.Count / 2].TotalMilliseconds:F1} ms, worst {times[^1].TotalMilliseconds:F1} ms (informational)");
    }

    /// <summary>Ten employee bands × five segments, every combination one rule: the search has to prove full coverage.</summary>
    [Fact]
    public void FiftyRulePartition_IsProvenComplete()
    {
        DecisionTableDefinition Partition()
        {
            var builder = new TableBuilder()
                .Input("employees", FeelType.Number).Input("revenue", FeelType.Number).Input("segment", FeelType.String, string.Join(",", Segments))
                .Input("existing customer", FeelType.Boolean).Input("signed", FeelType.Date);
            for (var band = 0; band < 10; band++)
            {
                var employees = band switch { 0 => "< 10", 9 => ">= 90", _ => $"[{band * 10}..{(band + 1) * 10})" };
                foreach (var segment in Segments)
                {
                    builder.Rule(employees, "-", segment, "-", "-", $"\"route {band}\"");
                }
            }

            return builder.Build();
        }

        var analysis = DecisionTableAnalyzer.Analyze(Partition());
        output.WriteLine($"partition: {analysis.Duration.TotalMilliseconds:F1} ms, {analysis.SearchSteps} steps");

        Assert.Empty(analysis.Findings);
        Assert.False(analysis.IsPartial);
    }
}
