using System.Text.Json;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// The answers a reviewer may approve a route or decision escalation as: the decision's allowed output values (its
/// DMN output values), minus the values that route to a person. Approving as one of them gives the agent a usable
/// decision result instead of the one that escalated.
/// </summary>
public sealed record EscalationChoices(string Decision, string DecisionName, string? Output, IReadOnlyList<string> Values)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static EscalationChoices? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EscalationChoices>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The choices of a decision table's output (the routed one, or the first with allowed values); null when it declares none.</summary>
    public static EscalationChoices? Of(string decisionKey, DmnDecision definition, string? routedOutput, IEnumerable<EngineRoute> routes)
    {
        if (definition is not DecisionTableDefinition table)
        {
            return null;
        }

        var output = table.Outputs.FirstOrDefault(o => routedOutput is not null && string.Equals(o.Name, routedOutput, StringComparison.OrdinalIgnoreCase))
            ?? table.Outputs.FirstOrDefault(o => !o.OutputValues.IsEmpty);
        if (output is null || output.OutputValues.IsEmpty)
        {
            return null;
        }

        var outputName = string.IsNullOrEmpty(output.Name) ? null : output.Name;
        var escalating = routes
            .Where(r => string.Equals(r.Decision, decisionKey, StringComparison.OrdinalIgnoreCase)
                && (r.Output is null || string.Equals(r.Output, outputName, StringComparison.OrdinalIgnoreCase)))
            .Select(r => r.Value.Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var values = output.OutputValues.Select(Literal).Where(v => v.Length > 0 && !escalating.Contains(v)).Distinct(StringComparer.Ordinal).ToList();
        return values.Count == 0 ? null : new EscalationChoices(decisionKey, definition.Name, outputName, values);
    }

    /// <summary>An S-FEEL literal as a person reads it: <c>"SMB sequence"</c> → SMB sequence, numbers as written.</summary>
    private static string Literal(string text)
    {
        var t = text.Trim();
        return t.Length >= 2 && t[0] == '"' && t[^1] == '"' ? t[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : t;
    }
}
