using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Components.Pages.Runs;
using AgentConsole.Engine.Escalations;

namespace AgentConsole.Components.Pages.Escalations;

/// <summary>How the review queue words its figures: due times, waiting times, kinds, and what an agent saw.</summary>
internal static class QueueDisplay
{
    /// <summary>Approvals whose undo costs more than this ask the reviewer to confirm, like irreversible ones.</summary>
    public const decimal ConfirmAboveCostToUndoUsd = 100m;

    public static string Span(TimeSpan span)
    {
        var s = span.Duration();
        return s.TotalMinutes switch
        {
            < 1 => "under 1 min",
            < 60 => $"{(int)s.TotalMinutes} min",
            < 1_440 => s.Minutes == 0 ? $"{(int)s.TotalHours} h" : $"{(int)s.TotalHours} h {s.Minutes} min",
            _ => $"{(int)s.TotalDays} d {s.Hours} h",
        };
    }

    /// <summary>"due in 35 min", "overdue by 2 h", or "no SLA".</summary>
    public static string Due(DateTimeOffset? due, DateTimeOffset now) => due switch
    {
        null => "no SLA",
        { } at when at <= now => $"overdue by {Span(now - at)}",
        { } at => $"due in {Span(at - now)}",
    };

    public static bool IsOverdue(DateTimeOffset? due, DateTimeOffset now) => due is { } at && at <= now;

    public static string Waiting(DateTimeOffset created, DateTimeOffset now) => $"waiting {Span(now - created)}";

    public static string Kind(EscalationKind kind) => kind switch
    {
        EscalationKind.ToolFailure => "Tool failure",
        EscalationKind.ModelError => "Model error",
        EscalationKind.LowConfidence => "Low confidence",
        _ => kind.ToString(),
    };

    public static string Cost(decimal usd) => usd.ToString("$0.00##", CultureInfo.InvariantCulture);

    public static string DefaultAction(EscalationDefaultAction action) => action switch
    {
        EscalationDefaultAction.Hold => "hold and notify reviewers again",
        _ => System.Text.RegularExpressions.Regex.Replace(action.ToString(), "(?<!^)([A-Z])", " $1").ToLowerInvariant(),
    };

    /// <summary>An approval that cannot be undone (or is expensive to undo) asks for a confirmation first.</summary>
    public static bool NeedsConfirmation(ProposedCall? call) => call is not null && (call.Reversible == false || call.CostToUndoUsd > ConfirmAboveCostToUndoUsd);

    /// <summary>The top-level parts of what the agent saw (input, facts, tool results), each as indented JSON.</summary>
    public static IReadOnlyList<(string Name, string Json)> Sections(string? whatItSaw)
    {
        if (string.IsNullOrWhiteSpace(whatItSaw))
        {
            return [];
        }

        try
        {
            if (JsonNode.Parse(whatItSaw) is JsonObject o && o.Count > 0)
            {
                return [.. o.Select(p => (Label(p.Key), p.Value is null ? "null" : p.Value.ToJsonString(Pretty)))];
            }
        }
        catch (JsonException)
        {
        }

        return [("What it saw", RunDisplay.PrettyJson(whatItSaw))];
    }

    private static string Label(string key) => key switch
    {
        "input" => "Input",
        "facts" => "Facts (decision results)",
        "toolResults" => "Tool results",
        _ => key,
    };

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
