using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Field-level checks of a case, keyed like <c>case.input</c> so the editor shows each message at its field, the API
/// returns them in a validation problem and an import prefixes them with the line. The name's uniqueness is the
/// service's (it needs the set).
/// </summary>
public static class TestCaseValidation
{
    public const string Name = "case.name";
    public const string Kind = "case.kind";
    public const string Input = "case.input";
    public const string ExpectedDecisions = "case.expectedDecisions";
    public const string MustCall = "case.mustCall";
    public const string MustNotCall = "case.mustNotCall";
    public const string OutputContains = "case.outputContains";
    public const string Notes = "case.notes";
    public const string Expectations = "case.expectations";

    public const int NameMaxLength = 200;
    public const int NotesMaxLength = 2000;
    public const int OutputTextMaxLength = 500;

    /// <summary>Checks <paramref name="edit"/>; on success <paramref name="normalized"/> is the case as it is stored.</summary>
    public static Dictionary<string, string[]> Validate(TestCaseEdit edit, TestCaseRules rules, out TestCaseEdit normalized)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(rules);
        var errors = new Dictionary<string, string[]>();
        void Add(string key, string message) => errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];

        var name = edit.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            Add(Name, "Give the case a name that says what it checks.");
        }
        else if (name.Length > NameMaxLength)
        {
            Add(Name, $"The name is at most {NameMaxLength} characters.");
        }

        if (!Enum.IsDefined(edit.Kind))
        {
            Add(Kind, $"The kind is one of {string.Join(", ", Enum.GetNames<TestCaseKind>())}.");
        }

        string input = "{}";
        switch (Parse(edit.InputJson, out var inputNode, out var inputError))
        {
            case false:
                Add(Input, $"The input is not valid JSON: {inputError}");
                break;
            case true when inputNode is not JsonObject:
                Add(Input, inputNode is null
                    ? "Give the input the run receives, as a JSON object such as {\"name\": \"Ada\", \"employees\": 42}."
                    : "The input is a JSON object ({...}) with the fields the run receives.");
                break;
            default:
                input = inputNode!.ToJsonString();
                if (Encoding.UTF8.GetByteCount(input) > rules.MaxInputBytes)
                {
                    Add(Input, $"The input is larger than a run accepts ({rules.MaxInputBytes:N0} bytes of JSON).");
                }

                break;
        }

        string? expected = null;
        switch (Parse(edit.ExpectedDecisionsJson, out var expectedNode, out var expectedError))
        {
            case false:
                Add(ExpectedDecisions, $"The expected decisions are not valid JSON: {expectedError}");
                break;
            case true when expectedNode is null:
                break;
            case true when expectedNode is not JsonObject:
                Add(ExpectedDecisions, "The expected decisions are a JSON object naming each decision and its result, such as {\"lead-routing\": \"SMB sequence\"}.");
                break;
            default:
                var decisions = (JsonObject)expectedNode!;
                var unknown = decisions.Select(p => p.Key).Where(k => !rules.Decisions.Contains(k)).ToList();
                if (unknown.Count > 0)
                {
                    Add(ExpectedDecisions, $"The agent has no decision {string.Join(", ", unknown.Select(k => $"'{k}'"))}; "
                        + (rules.Decisions.Count == 0 ? "it has no decisions at all." : $"its decisions are {string.Join(", ", rules.Decisions.Order(StringComparer.Ordinal))}."));
                }

                expected = decisions.Count == 0 ? null : decisions.ToJsonString();
                break;
        }

        var mustCall = Tools(edit.MustCall);
        var mustNotCall = Tools(edit.MustNotCall);
        CheckTools(mustCall, MustCall, "must call");
        CheckTools(mustNotCall, MustNotCall, "must not call");
        var both = mustCall.Intersect(mustNotCall, StringComparer.Ordinal).ToList();
        if (both.Count > 0)
        {
            Add(MustNotCall, $"{string.Join(", ", both)} cannot be both a tool the run must call and one it must not call.");
        }

        var texts = edit.OutputContains ?? [];
        if (texts.Exists(string.IsNullOrWhiteSpace))
        {
            Add(OutputContains, "A text the output must contain is empty; remove it or write the text.");
        }
        else if (texts.Exists(t => t.Trim().Length > OutputTextMaxLength))
        {
            Add(OutputContains, $"A text the output must contain is at most {OutputTextMaxLength} characters.");
        }

        var outputContains = texts.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var notes = string.IsNullOrWhiteSpace(edit.Notes) ? null : edit.Notes.Trim();
        if (notes?.Length > NotesMaxLength)
        {
            Add(Notes, $"The notes are at most {NotesMaxLength:N0} characters.");
        }

        if (expected is null && mustCall.Count == 0 && mustNotCall.Count == 0 && edit.MustEscalate is null && !edit.ExpectRejected && outputContains.Count == 0
            && !errors.ContainsKey(ExpectedDecisions))
        {
            Add(Expectations, "The case expects nothing, so it could never fail: say what a correct run does (a decision result, tools it must or must not call, whether it escalates, text its output contains, or that the input is refused).");
        }

        normalized = new TestCaseEdit
        {
            Name = name,
            Kind = edit.Kind,
            InputJson = input,
            ExpectedDecisionsJson = expected,
            MustCall = mustCall,
            MustNotCall = mustNotCall,
            MustEscalate = edit.MustEscalate,
            ExpectRejected = edit.ExpectRejected,
            OutputContains = outputContains,
            Notes = notes,
            SourceRunId = edit.SourceRunId,
        };
        return errors;

        void CheckTools(List<string> tools, string key, string what)
        {
            var unknown = tools.Where(t => !rules.Tools.Contains(t)).ToList();
            if (unknown.Count > 0)
            {
                Add(key, $"The agent cannot call {string.Join(", ", unknown.Select(t => $"'{t}'"))}, so \"{what}\" cannot name it; its tools are {string.Join(", ", rules.Tools.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    /// <summary>Trimmed, distinct, empty entries dropped (an empty entry in a list of tool keys is a stray separator, not a tool).</summary>
    private static List<string> Tools(List<string>? tools) =>
        [.. (tools ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)];

    /// <summary>False when the text is not JSON; true with a null node when it is empty (or the JSON literal null).</summary>
    private static bool Parse(string? text, out JsonNode? node, out string? error)
    {
        (node, error) = (null, null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        try
        {
            node = JsonNode.Parse(text);
            return true;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }
    }
}
