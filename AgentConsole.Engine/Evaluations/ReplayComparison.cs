using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// What changed when a historical run was replayed against a draft: its route (the decision results), its tool calls
/// (tool and normalised arguments, in order), whether it escalated, its output, and its cost. Texts are the runs' stored,
/// redacted texts; a replay keeps the historical run's placeholders, so they compare alike.
/// </summary>
public sealed record ReplayComparison(
    JsonNode? RouteBefore,
    JsonNode? RouteAfter,
    IReadOnlyList<string> ToolsBefore,
    IReadOnlyList<string> ToolsAfter,
    bool EscalatedBefore,
    bool EscalatedAfter,
    string? OutputBefore,
    string? OutputAfter,
    decimal CostBefore,
    decimal CostAfter,
    IReadOnlyList<string> NotRecorded)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool RouteChanged => !JsonNode.DeepEquals(RouteBefore, RouteAfter);

    public bool ToolsChanged => !ToolsBefore.SequenceEqual(ToolsAfter, StringComparer.Ordinal);

    public bool EscalationChanged => EscalatedBefore != EscalatedAfter;

    /// <summary>Outputs are compared only when neither run escalated: an escalated run's output is the reviewer's, or none.</summary>
    public bool OutputChanged => !EscalatedBefore && !EscalatedAfter && Squeeze(OutputBefore) != Squeeze(OutputAfter);

    public decimal CostDelta => CostAfter - CostBefore;

    public bool Changed => RouteChanged || ToolsChanged || EscalationChanged || OutputChanged;

    /// <summary>One sentence per change, for the verdict's reasons.</summary>
    public IReadOnlyList<string> Changes()
    {
        var changes = new List<string>();
        if (RouteChanged)
        {
            changes.Add($"Route changed: {RouteBefore?.ToJsonString() ?? "none"} → {RouteAfter?.ToJsonString() ?? "none"}.");
        }

        if (ToolsChanged)
        {
            changes.Add($"Tool calls changed: [{string.Join(", ", ToolsBefore)}] → [{string.Join(", ", ToolsAfter)}].");
        }

        if (EscalationChanged)
        {
            changes.Add(EscalatedAfter ? "Now escalates to a person; the historical run did not." : "No longer escalates; the historical run did.");
        }

        if (OutputChanged)
        {
            changes.Add("Output changed.");
        }

        return changes;
    }

    public static ReplayComparison Compare(Run before, IEnumerable<RunStep> beforeSteps, Run after, IEnumerable<RunStep> afterSteps)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var afterList = afterSteps.ToList();
        return new(
            Parse(before.FactsJson),
            Parse(after.FactsJson),
            ToolCalls(beforeSteps),
            ToolCalls(afterList),
            before.EscalationCount > 0,
            after.EscalationCount > 0,
            before.Output,
            after.Output,
            before.CostUsd,
            after.CostUsd,
            [.. afterList.Where(IsNotRecorded).Select(s => s.ToolName!)]);
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        changed = Changed,
        route = new { changed = RouteChanged, before = RouteBefore, after = RouteAfter },
        tools = new { changed = ToolsChanged, before = ToolsBefore, after = ToolsAfter },
        escalation = new { changed = EscalationChanged, before = EscalatedBefore, after = EscalatedAfter },
        output = new { changed = OutputChanged, before = OutputBefore, after = OutputAfter },
        cost = new { before = CostBefore, after = CostAfter, delta = CostDelta },
        notRecorded = NotRecorded,
    }, Json);

    // A call the agent made and the engine performed (or answered from a recording); refused calls are not tool calls.
    private static List<string> ToolCalls(IEnumerable<RunStep> steps) =>
        [.. steps.Where(s => s.Kind == RunStepKind.ToolCall && s.ToolName is not null && s.ToolName != Tools.BuiltInTools.Escalate)
            .OrderBy(s => s.Sequence)
            .Select(s => $"{s.ToolName}({ToolRecordings.Normalize(Arguments(s))})")];

    private static JsonNode? Arguments(RunStep step) =>
        step.DetailJson is null ? null : (JsonNode.Parse(step.DetailJson) as JsonObject)?["arguments"]?.DeepClone();

    private static bool IsNotRecorded(RunStep step) =>
        step.Kind == RunStepKind.ToolCall && step.ToolName is not null && step.JournalJson is { } journal
        && JsonNode.Parse(journal) is JsonObject result && result[ToolRecordings.NotRecordedKey] is JsonValue flag && flag.TryGetValue<bool>(out var b) && b;

    private static JsonNode? Parse(string? json) => string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);

    private static string Squeeze(string? text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
