using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.DecisionTables;

public sealed record DecisionEvaluation(LoadedDecision Decision, DecisionResult Result)
{
    public JsonNode? ResultJson => DecisionValues.ToJson(Result.Value);
}

public sealed record DecisionTestOutcome(DecisionTestCase Test, bool Passed, JsonNode? Actual, JsonNode? Expected, string? Error);

/// <summary>
/// Evaluates, tests and publishes stored decisions. Each version compiles once (cached by version and draft
/// revision); publishing requires the decision to compile and its saved test cases to pass, and for a decision bound to an
/// agent, the publish gate: an evaluation of that exact draft reached the agent's threshold (or an Admin's written override).
/// </summary>
public sealed class DecisionWorkbench(DecisionCatalog catalog, Evaluations.PublishGate gate)
{
    private readonly ConcurrentDictionary<(Guid Version, int Revision), DecisionCompilation<CompiledDmnModel>> _compiled = new();

    // The published version last loaded per decision key. A published version is immutable (only drafts are edited),
    // so its id and revision identify the parsed model; publishing or rolling back changes the id and reloads.
    private readonly ConcurrentDictionary<string, LoadedDecision> _published = new(StringComparer.Ordinal);

    public DecisionCompilation<CompiledDmnModel> Compile(LoadedDecision decision)
    {
        var key = (decision.Version.Id, decision.Version.Revision);
        if (_compiled.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // A saved draft makes the previous revision of the same version unreachable.
        foreach (var stale in _compiled.Keys.Where(k => k.Version == key.Id && k.Revision != key.Revision))
        {
            _compiled.TryRemove(stale, out _);
        }

        return _compiled.GetOrAdd(key, _ => CompiledDmnModel.Compile(decision.Model));
    }

    /// <summary>
    /// Evaluates <paramref name="key"/> at <paramref name="version"/> (default: the published version, else the draft):
    /// the model's decision named <paramref name="decision"/> (default: its main decision) with the decisions it requires.
    /// </summary>
    public async Task<DecisionEvaluation?> EvaluateAsync(
        string key, IReadOnlyDictionary<string, object?> inputs, string? version = null, bool trace = false, string? decision = null, CancellationToken ct = default)
    {
        var loaded = await catalog.LoadAsync(key, version ?? DecisionCatalog.Published, ct)
            ?? (version is null ? await catalog.LoadAsync(key, null, ct) : null);
        if (loaded is null)
        {
            return null;
        }

        return new DecisionEvaluation(loaded, Evaluate(Compile(loaded), decision ?? loaded.Definition.Name, inputs, trace));
    }

    /// <summary>
    /// Evaluates the published version named by <paramref name="published"/> (from <see cref="DecisionCatalog.ListPublishedAsync"/>)
    /// without loading and parsing its model again when that version was loaded before.
    /// </summary>
    public async Task<DecisionEvaluation?> EvaluatePublishedAsync(PublishedDecision published, IReadOnlyDictionary<string, object?> inputs, CancellationToken ct = default)
    {
        if (!_published.TryGetValue(published.Key, out var decision)
            || decision.Version.Id != published.VersionId || decision.Version.Revision != published.Revision)
        {
            decision = await catalog.LoadAsync(published.Key, DecisionCatalog.Published, ct);
            if (decision is null)
            {
                return null;
            }

            _published[published.Key] = decision;
        }

        return new DecisionEvaluation(decision, Evaluate(Compile(decision), decision.Definition.Name, inputs, trace: false));
    }

    /// <summary>
    /// Evaluates an unsaved model, as the editor's test panel does with the model on screen: the decision named
    /// <paramref name="decision"/> (default: the main decision) with the decisions it requires.
    /// </summary>
    public static DecisionResult Evaluate(DmnModel model, IReadOnlyDictionary<string, object?> inputs, bool trace = true, string? decision = null) =>
        Evaluate(CompiledDmnModel.Compile(ImplicitInputData.Declare(model)), decision ?? model.Main().Name, inputs, trace);

    private static DecisionResult Evaluate(DecisionCompilation<CompiledDmnModel> compilation, string name, IReadOnlyDictionary<string, object?> inputs, bool trace)
    {
        if (compilation.Value is null)
        {
            var errors = string.Join("; ", compilation.Errors.Select(e => e.ToString()));
            return new DecisionResult { DecisionName = name, Error = new DecisionError(DecisionErrorKind.DecisionFailed, $"The decision does not compile: {errors}", default, null) };
        }

        return compilation.Value.Evaluate(name, inputs, trace);
    }

    /// <summary>
    /// Analyses the model's decision table with the model's input data as known names; null for a literal expression.
    /// The editor and the analyze API both call this, so they always report the same findings.
    /// </summary>
    public static Analysis.TableAnalysis? Analyze(DmnModel model, string? decision = null) =>
        (decision is null ? model.Main() : model.FindDecision(decision)) is DecisionTableDefinition table
            ? Analysis.DecisionTableAnalyzer.Analyze(table, new Analysis.TableAnalysisOptions
            {
                KnownNames = [.. model.InputData.Select(i => i.Name), .. model.Decisions.Select(d => d.Name)],
                Model = model,
            })
            : null;

    /// <summary>Runs saved test cases against a model (the draft on screen, or a stored version).</summary>
    public static IReadOnlyList<DecisionTestOutcome> RunTests(DmnModel model, IEnumerable<DecisionTestCase> tests)
    {
        var compilation = CompiledDmnModel.Compile(ImplicitInputData.Declare(model));
        var name = model.Main().Name;
        var outcomes = new List<DecisionTestOutcome>();
        foreach (var test in tests)
        {
            JsonNode? expected;
            Dictionary<string, object?> inputs;
            try
            {
                expected = JsonNode.Parse(test.ExpectedJson);
                inputs = DecisionValues.ReadInputs(test.InputsJson);
            }
            catch (JsonException ex)
            {
                outcomes.Add(new DecisionTestOutcome(test, false, null, null, $"The test case is not valid JSON: {ex.Message}"));
                continue;
            }

            var result = Evaluate(compilation, name, inputs, trace: false);
            var actual = DecisionValues.ToJson(result.Value);
            outcomes.Add(result.IsSuccess
                ? new DecisionTestOutcome(test, DecisionValues.Same(actual, expected), actual, expected, null)
                : new DecisionTestOutcome(test, false, null, expected, result.Error!.Message));
        }

        return outcomes;
    }

    /// <summary>Publishes the draft of <paramref name="key"/> if it compiles and every saved test case passes.</summary>
    public Task<(DecisionChangeResult Change, IReadOnlyList<DecisionTestOutcome> Tests)> PublishAsync(string key, string actor, CancellationToken ct = default) =>
        PublishAsync(key, actor, null, ct);

    /// <summary>
    /// As <see cref="PublishAsync(string, string, CancellationToken)"/>. <paramref name="gateOverride"/>: an Admin's written
    /// reason to publish an agent's decision without a passing evaluation (the caller checks the role); it is audited.
    /// </summary>
    public async Task<(DecisionChangeResult Change, IReadOnlyList<DecisionTestOutcome> Tests)> PublishAsync(string key, string actor, string? gateOverride, CancellationToken ct)
    {
        gateOverride = string.IsNullOrWhiteSpace(gateOverride) ? null : gateOverride.Trim();
        var draft = await catalog.LoadAsync(key, DecisionCatalog.Draft, ct);
        if (draft is null)
        {
            var exists = await catalog.LoadAsync(key, null, ct) is not null;
            return (exists ? new DecisionChangeResult(DecisionChangeOutcome.Invalid, "There is no draft to publish; edit the table to start one.") : DecisionChangeResult.NotFound(key), []);
        }

        var compilation = Compile(draft);
        if (!compilation.Success)
        {
            return (new DecisionChangeResult(DecisionChangeOutcome.Invalid,
                $"The draft does not compile, so it cannot be published: {string.Join("; ", compilation.Errors.Select(e => e.ToString()))}"), []);
        }

        var tests = RunTests(draft.Model, await catalog.ListTestCasesAsync(key, ct));
        var failed = tests.Where(t => !t.Passed).ToList();
        if (failed.Count > 0)
        {
            return (new DecisionChangeResult(DecisionChangeOutcome.Invalid,
                $"{failed.Count} of {tests.Count} test case(s) fail, so the draft cannot be published: {string.Join(", ", failed.Select(f => f.Test.Name))}."), tests);
        }

        if (draft.Decision.AgentKey is { } agentKey && gateOverride is null)
        {
            var verdict = await gate.CheckDecisionAsync(agentKey, draft.Decision.Key, draft.Version.Number, ct);
            if (!verdict.Passed)
            {
                return (new DecisionChangeResult(DecisionChangeOutcome.Conflict, verdict.Message) { Gate = verdict }, tests);
            }
        }

        return (await catalog.PublishDraftAsync(key, actor, draft.Decision.AgentKey is null ? null : gateOverride, ct), tests);
    }
}
