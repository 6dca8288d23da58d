using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Scores one test case against what its run did. Pure: the evaluation job hands it the facts. Every expectation the
/// case states is checked and every one that fails is a reason sentence a business owner can read.
/// </summary>
public static class CaseScoring
{
    public static CaseScore Score(TestCase expected, CaseRunFacts run)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Rejected)
        {
            // A refused input has no run to check anything else against.
            return expected.ExpectRejected
                ? new CaseScore(true, [])
                : new CaseScore(false, [$"The engine refused the input: {run.RejectionMessage}"]);
        }

        var reasons = new List<string>();
        if (expected.ExpectRejected)
        {
            reasons.Add("expected the engine to refuse the input, but a run started");
        }

        if (run.Status == RunStatus.Failed)
        {
            reasons.Add($"the run failed: {run.Reason}");
        }

        reasons.AddRange(Decisions(expected.ExpectedDecisionsJson, run.FactsJson));
        var called = new HashSet<string>(run.ToolsCalled ?? [], StringComparer.OrdinalIgnoreCase);
        reasons.AddRange(expected.MustCall.Where(t => !called.Contains(t)).Select(t => $"did not call {t}, which it must"));
        reasons.AddRange(expected.MustNotCall.Where(called.Contains).Select(t => $"called {t}, which it must not"));
        switch (expected.MustEscalate)
        {
            case true when run.EscalationCount == 0:
                reasons.Add("expected an escalation to a person, but the run did not escalate");
                break;
            case false when run.EscalationCount > 0:
                reasons.Add($"escalated to a person, which it must not ({run.Reason})");
                break;
        }

        foreach (var text in expected.OutputContains.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            if (run.Output is null || !run.Output.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                reasons.Add($"the output does not contain \"{text.Trim()}\"");
            }
        }

        return new CaseScore(reasons.Count == 0, reasons);
    }

    private static IEnumerable<string> Decisions(string? expectedJson, string? factsJson)
    {
        if (string.IsNullOrWhiteSpace(expectedJson) || Parse(expectedJson) is not JsonObject expected || expected.Count == 0)
        {
            yield break;
        }

        var facts = Parse(factsJson) as JsonObject ?? [];
        foreach (var (key, want) in expected)
        {
            if (!TryGet(facts, key, out var actual))
            {
                yield return $"expected decision {key} to decide, but the run made no {key} decision";
                continue;
            }

            if (want is JsonObject outputs)
            {
                foreach (var (output, value) in outputs)
                {
                    // A single-output table's result is the bare value; an object expectation names that one output.
                    var got = actual is JsonObject o ? (TryGet(o, output, out var named) ? named : null) : outputs.Count == 1 ? actual : null;
                    if (!Same(value, got))
                    {
                        yield return $"expected {output} {Show(value)}, got {Show(got)}";
                    }
                }
            }
            else if (!Same(want, actual))
            {
                yield return $"expected {key} {Show(want)}, got {Show(actual)}";
            }
        }
    }

    /// <summary>JSON values compared as a person would: strings trimmed and case-insensitive, numbers by value, "12" equal to 12.</summary>
    public static bool Same(JsonNode? expected, JsonNode? actual)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null;
        }

        if (expected is JsonValue e && actual is JsonValue a)
        {
            if (Number(e) is { } x && Number(a) is { } y)
            {
                return x == y;
            }

            if (e.GetValueKind() == JsonValueKind.String || a.GetValueKind() == JsonValueKind.String)
            {
                return string.Equals(Text(e).Trim(), Text(a).Trim(), StringComparison.OrdinalIgnoreCase);
            }

            return JsonNode.DeepEquals(e, a);
        }

        if (expected is JsonArray ea && actual is JsonArray aa)
        {
            return ea.Count == aa.Count && ea.Zip(aa).All(p => Same(p.First, p.Second));
        }

        if (expected is JsonObject eo && actual is JsonObject ao)
        {
            return eo.Count == ao.Count && eo.All(p => TryGet(ao, p.Key, out var v) && Same(p.Value, v));
        }

        return false;
    }

    private static bool TryGet(JsonObject o, string name, out JsonNode? value)
    {
        if (o.TryGetPropertyValue(name, out value))
        {
            return true;
        }

        foreach (var (key, v) in o)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        return false;
    }

    private static decimal? Number(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.Number when v.TryGetValue<decimal>(out var n) => n,
        JsonValueKind.String when decimal.TryParse(v.GetValue<string>().Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    private static string Text(JsonValue v) => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();

    private static string Show(JsonNode? node) => node is null ? "no result" : node.ToJsonString(ShowOptions);

    private static readonly JsonSerializerOptions ShowOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON in <paramref name="json"/>, or null when it is empty or not JSON.</summary>
    internal static JsonNode? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
