using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>A tool-failure escalation's detail, read from its JSON: which tool failed, how often and the last error.</summary>
internal sealed record ToolFailureDetail(string Tool, string? Kind, int? Attempts, string? LastError)
{
    public static ToolFailureDetail? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(json) is not JsonObject o || ProposedCall.Text(o, "failure") != "tool" || ProposedCall.Text(o, "tool") is not { } tool)
            {
                return null;
            }

            return new ToolFailureDetail(tool, ProposedCall.Text(o, "kind"),
                o["attempts"] is JsonValue a && a.TryGetValue<int>(out var attempts) ? attempts : null, ProposedCall.Text(o, "lastError"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>In words: whether retrying could have helped, and how often it was tried.</summary>
    public string HowOften => Kind == "Permanent"
        ? $"Failed in a way retrying cannot fix (attempt{(Attempts == 1 ? "" : "s")}: {Attempts?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})."
        : Attempts is { } n ? $"Failed {n} time{(n == 1 ? "" : "s")} in a row, retries exhausted." : "Failed past its retries.";
}
