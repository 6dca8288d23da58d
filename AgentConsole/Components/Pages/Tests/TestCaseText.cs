using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Evaluations;
using MudBlazor;

namespace AgentConsole.Components.Pages.Tests;

/// <summary>How the Tests page shows a case: indented JSON to edit, and a one-line summary of its expectations.</summary>
public static class TestCaseText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Indented when it parses; otherwise exactly as typed.</summary>
    public static string? Indent(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return json;
        }

        try
        {
            return JsonNode.Parse(json)?.ToJsonString(Indented) ?? json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    public static IReadOnlyList<string> Expectations(TestCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var parts = new List<string>();
        if (c.ExpectRejected)
        {
            parts.Add("input refused");
        }

        if (c.ExpectedDecisionsJson is not null && JsonNode.Parse(c.ExpectedDecisionsJson) is JsonObject decisions)
        {
            parts.AddRange(decisions.Select(d => $"{d.Key} = {Display(d.Value)}"));
        }

        if (c.MustEscalate is { } escalate)
        {
            parts.Add(escalate ? "escalates" : "does not escalate");
        }

        if (c.MustCall.Count > 0)
        {
            parts.Add($"calls {string.Join(", ", c.MustCall)}");
        }

        if (c.MustNotCall.Count > 0)
        {
            parts.Add($"never {string.Join(", ", c.MustNotCall)}");
        }

        if (c.OutputContains.Count > 0)
        {
            parts.Add($"output has {string.Join(", ", c.OutputContains.Select(t => $"\"{t}\""))}");
        }

        return parts;
    }

    public static Color KindColor(TestCaseKind kind) => kind switch
    {
        TestCaseKind.Edge => Color.Warning,
        TestCaseKind.Adversarial => Color.Error,
        TestCaseKind.Historical => Color.Info,
        _ => Color.Default,
    };

    private static string Display(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s)
        ? s
        : node?.ToJsonString() ?? "null";

    public static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}{(n == 1 ? "" : "s")}");
}
