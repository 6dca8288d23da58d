using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// A historical run's tool results, frozen for a what-if replay: a call of the replayed run is answered with the recorded
/// result of the same tool with the same normalised arguments (a new prompt makes new call ids, so ids cannot match),
/// each recording used once, in the order they were made. A call with no recording is answered "not recorded" and
/// flagged; no connector is ever reached.
/// </summary>
public sealed class ToolRecordings
{
    /// <summary>The marker a "not recorded" answer carries in its result, for the replay's comparison.</summary>
    public const string NotRecordedKey = "notRecorded";

    private readonly List<Recording> _recordings;

    private ToolRecordings(List<Recording> recordings) => _recordings = recordings;

    public int Count => _recordings.Count;

    public int Unused => _recordings.Count(r => !r.Used);

    public static async Task<ToolRecordings> LoadAsync(AgentConsoleDbContext db, Guid sourceRunId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var steps = await db.RunSteps.AsNoTracking()
            .Where(s => s.RunId == sourceRunId && s.Kind == RunStepKind.ToolCall && s.ToolName != null && !s.InFlight)
            .OrderBy(s => s.Sequence)
            .Select(s => new { s.ToolName, s.DetailJson, s.JournalJson, s.IsError })
            .ToListAsync(ct);
        var recordings = new List<Recording>(steps.Count);
        foreach (var step in steps)
        {
            var detail = step.DetailJson is null ? null : JsonNode.Parse(step.DetailJson) as JsonObject;
            var failure = detail?["failure"] is JsonValue f && f.TryGetValue<string>(out var kind) && Enum.TryParse<ToolFailureKind>(kind, out var parsed) ? parsed : (ToolFailureKind?)null;
            recordings.Add(new Recording(step.ToolName!, Normalize(detail?["arguments"]), step.JournalJson, step.IsError ? failure ?? ToolFailureKind.Permanent : null,
                detail?["error"]?.GetValue<string>()));
        }

        return new ToolRecordings(recordings);
    }

    /// <summary>The recorded outcome of this call, or a "not recorded" answer marked with <see cref="NotRecordedKey"/>.</summary>
    public ToolCallOutcome Answer(string tool, JsonNode? redactedArguments)
    {
        var key = Normalize(redactedArguments);
        var recording = _recordings.FirstOrDefault(r => !r.Used && r.Tool == tool && r.Arguments == key);
        if (recording is null)
        {
            return ToolCallOutcome.Success(new JsonObject
            {
                ["error"] = $"Not recorded: the historical run made no {tool} call with these arguments, so there is no result to give; nothing was performed.",
                [NotRecordedKey] = true,
            }, 0);
        }

        recording.Used = true;
        if (recording.Failure is { } failure)
        {
            return ToolCallOutcome.Failed(failure, recording.Error ?? $"{tool} failed in the historical run.", 1);
        }

        return ToolCallOutcome.Success(recording.ResultJson is null ? null : JsonNode.Parse(recording.ResultJson), 1);
    }

    /// <summary>Arguments compared regardless of key order, case and surrounding white space, numbers by value.</summary>
    internal static string Normalize(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o:
                text.Append('{');
                foreach (var (name, value) in o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
                {
                    text.Append(name.ToUpperInvariant()).Append(':');
                    Write(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                foreach (var item in a)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var number):
                text.Append(number.ToString("G29", CultureInfo.InvariantCulture));
                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                // "12" and 12 are the same argument to a tool; a model may write either.
                var trimmed = s.Trim();
                if (decimal.TryParse(trimmed, NumberStyles.Number, CultureInfo.InvariantCulture, out var n))
                {
                    text.Append(n.ToString("G29", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append('"').Append(trimmed.ToUpperInvariant()).Append('"');
                }

                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }

    private sealed record Recording(string Tool, string Arguments, string? ResultJson, ToolFailureKind? Failure, string? Error)
    {
        public bool Used { get; set; }
    }
}
