using AgentConsole.Engine.DecisionTables;
using BenchmarkDotNet.Attributes;

namespace AgentConsole.DecisionBenchmarks;

/// <summary>
/// Evaluations of a 50-rule × 5-input table: the compiled evaluator against the interpreting baseline, same inputs,
/// same run. Each invocation evaluates <see cref="SampleCount"/> different input sets, so results are per evaluation.
/// </summary>
[MemoryDiagnoser]
public class DecisionTableBenchmarks
{
    private const int SampleCount = 256;

    private Dictionary<string, object?>[] _samples = [];
    private CompiledDecisionTable _compiled = null!;
    private InterpretingEvaluator _interpreter = null!;

    [Params("FIRST", "UNIQUE")]
    public string HitPolicy { get; set; } = "FIRST";

    [GlobalSetup]
    public void Setup()
    {
        var table = HitPolicy == "FIRST" ? BenchmarkTables.First() : BenchmarkTables.Unique();
        _compiled = CompiledDecisionTable.Compile(table).GetValueOrThrow();
        _interpreter = new InterpretingEvaluator(table);
        _samples = BenchmarkTables.Samples(SampleCount);

        // Both sides must compute the same thing, or the ratio means nothing.
        foreach (var sample in _samples)
        {
            var compiled = _compiled.Evaluate(sample);
            if (!compiled.IsSuccess || !Equals(compiled.Value, _interpreter.Evaluate(sample)))
            {
                throw new InvalidOperationException($"Evaluators disagree: {compiled.Value ?? compiled.Error?.Message} vs {_interpreter.Evaluate(sample)}");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SampleCount)]
    public object? Interpreted()
    {
        object? last = null;
        foreach (var sample in _samples)
        {
            last = _interpreter.Evaluate(sample);
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = SampleCount)]
    public object? Compiled()
    {
        object? last = null;
        foreach (var sample in _samples)
        {
            last = _compiled.Evaluate(sample).Value;
        }

        return last;
    }
}
