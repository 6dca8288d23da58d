using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using BenchmarkDotNet.Attributes;

namespace AgentConsole.DecisionBenchmarks;

/// <summary>
/// Full analysis (gaps, overlaps, masking) of the same 50-rule × 5-input tables, against compiling them, which every
/// save already pays: the goal is an analysis well under a second, cheap enough to re-run on every edit.
/// </summary>
[MemoryDiagnoser]
public class DecisionAnalysisBenchmarks
{
    private DecisionTableDefinition _table = null!;

    [Params("FIRST", "UNIQUE")]
    public string HitPolicy { get; set; } = "FIRST";

    [GlobalSetup]
    public void Setup()
    {
        _table = HitPolicy == "FIRST" ? BenchmarkTables.First() : BenchmarkTables.Unique();
        if (DecisionTableAnalyzer.Analyze(_table).IsPartial)
        {
            throw new InvalidOperationException("The benchmark table must be analysable exactly.");
        }
    }

    [Benchmark(Baseline = true)]
    public object Compile() => CompiledDecisionTable.Compile(_table);

    [Benchmark]
    public object Analyze() => DecisionTableAnalyzer.Analyze(_table);
}
