using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>
/// The tool call an approval escalation holds, read from its <c>ProposedAction</c> JSON (written by the engine's
/// toolbox): what would run, with which arguments, what it touches and why a person must decide.
/// </summary>
internal sealed record ProposedCall(
    string Tool, string? Title, string? ArgumentsJson, string? Access, string? Reach, bool? Reversible, decimal? CostToUndoUsd,
    string? Stakes, string? Connection, string? Reason)
{
    /// <summary>Null when the escalation holds no tool call (or JSON of another shape, shown raw instead).</summary>
    public static ProposedCall? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            // A tool failure names its tool too, but proposes nothing.
            if (JsonNode.Parse(json) is not JsonObject o || o.ContainsKey("failure") || Text(o, "tool") is not { } tool)
            {
                return null;
            }

            return new ProposedCall(
                tool, Text(o, "title"), o["arguments"]?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
                Text(o, "access"), Text(o, "reach"),
                o["reversible"] is JsonValue r && r.TryGetValue<bool>(out var reversible) ? reversible : null,
                o["costToUndoUsd"] is JsonValue c && c.TryGetValue<decimal>(out var cost) ? cost : null,
                Text(o, "stakes"), Text(o, "connection"), Text(o, "reason"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Cost => CostToUndoUsd is { } cost ? string.Create(CultureInfo.InvariantCulture, $"${cost:0.##}") : "unknown";

    internal static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
