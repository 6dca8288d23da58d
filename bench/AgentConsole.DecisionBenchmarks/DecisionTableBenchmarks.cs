using AgentConsole.Engine.DecisionTables;
using BenchmarkDotNet.Attributes;

namespace AgentConsole.DecisionBenchmarks;

/// <summary>
/// Evaluations of a 50-rule × 5-input table: the compiled evaluator against the interpreting baseline, same inputs,
/// same run. Each invocation evaluates <see cref="SampleCount"/> different input sets, so results are per evaluation.
/// In the same run, for DMN level 2: the flat table evaluated as a model, the same table reading its inputs as paths
/// into one record input (<c>Lead.amount</c>, ...), and a two-level graph (a scoring table feeding a routing table)
/// evaluated through the model and, as its baseline, by hand (two compiled tables, the score passed along).
/// </summary>
[MemoryDiagnoser]
public class DecisionTableBenchmarks
{
    private const int SampleCount = 256;

    private Dictionary<string, object?>[] _samples = [];
    private CompiledDecisionTable _compiled = null!;
    private InterpretingEvaluator _interpreter = null!;
    private CompiledDmnModel _flatModel = null!;
    private CompiledDmnModel _structured = null!;
    private Dictionary<string, object?>[] _structuredSamples = [];
    private string _decision = "";
    private CompiledDmnModel _graph = null!;
    private CompiledDecisionTable _scoreTable = null!;
    private CompiledDecisionTable _routeTable = null!;
    private readonly Dictionary<string, object?> _routeInputs = new(StringComparer.Ordinal) { ["Score"] = null, ["segment"] = null };

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

        _decision = table.Name;
        _flatModel = CompiledDmnModel.Compile(ImplicitInputData.Declare(new DmnModel { Name = table.Name, Decisions = [table] })).GetValueOrThrow();
        _structured = CompiledDmnModel.Compile(BenchmarkTables.Structured(table)).GetValueOrThrow();
        _structuredSamples = BenchmarkTables.StructuredSamples(_samples);
        for (var i = 0; i < _samples.Length; i++)
        {
            var expected = _compiled.Evaluate(_samples[i]).Value;
            Same("model", expected, _flatModel.Evaluate(_decision, _samples[i]));
            Same("structured", expected, _structured.Evaluate(_decision, _structuredSamples[i]));
        }

        var graph = BenchmarkTables.Graph(HitPolicy == "FIRST" ? AgentConsole.Engine.DecisionTables.HitPolicy.First : AgentConsole.Engine.DecisionTables.HitPolicy.Unique);
        _graph = CompiledDmnModel.Compile(graph).GetValueOrThrow();
        _scoreTable = CompiledDecisionTable.Compile((DecisionTableDefinition)graph.Decisions[0]).GetValueOrThrow();
        _routeTable = CompiledDecisionTable.Compile((DecisionTableDefinition)graph.Decisions[1]).GetValueOrThrow();
        foreach (var sample in _samples)
        {
            Same("graph", ByHand(sample), _graph.Evaluate("Route", sample));
        }
    }

    private static void Same(string what, object? expected, DecisionResult actual)
    {
        if (!actual.IsSuccess || !Equals(expected, actual.Value))
        {
            throw new InvalidOperationException($"The {what} evaluation disagrees: {actual.Value ?? actual.Error?.Message} vs {expected}");
        }
    }

    private object? ByHand(Dictionary<string, object?> sample)
    {
        _routeInputs["Score"] = _scoreTable.Evaluate(sample).Value;
        _routeInputs["segment"] = sample["segment"];
        return _routeTable.Evaluate(_routeInputs).Value;
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

    /// <summary>The flat table as the only decision of a model: the path every model evaluation takes.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    public object? CompiledModel()
    {
        object? last = null;
        foreach (var sample in _samples)
        {
            last = _flatModel.Evaluate(_decision, sample).Value;
        }

        return last;
    }

    /// <summary>The same table reading <c>Lead.amount</c>, ... from one record input given as a nested dictionary.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    public object? Structured()
    {
        object? last = null;
        foreach (var sample in _structuredSamples)
        {
            last = _structured.Evaluate(_decision, sample).Value;
        }

        return last;
    }

    /// <summary>Scoring feeding routing, through <see cref="CompiledDmnModel.Evaluate"/> of the top decision.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    public object? Graph()
    {
        object? last = null;
        foreach (var sample in _samples)
        {
            last = _graph.Evaluate("Route", sample).Value;
        }

        return last;
    }

    /// <summary>The graph's baseline: the two compiled tables called one after the other, the score passed by hand.</summary>
    [Benchmark(OperationsPerInvoke = SampleCount)]
    public object? GraphByHand()
    {
        object? last = null;
        foreach (var sample in _samples)
        {
            last = ByHand(sample);
        }

        return last;
    }
}
