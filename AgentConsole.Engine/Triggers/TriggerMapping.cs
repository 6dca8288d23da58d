using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// How an event payload becomes the agent's input: agent input field → payload path. Without a mapping the payload's
/// fields are passed as they are. Values are converted to the field's type where that is lossless (the text "120" for
/// a number field, "yes"/"true" for a boolean), because forms and e-mails deliver text.
/// </summary>
public static class TriggerMapping
{
    public const int MaxFields = 100;

    public static Dictionary<string, string>? FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);

    public static string? ToJson(IReadOnlyDictionary<string, string>? mapping) =>
        mapping is null || mapping.Count == 0 ? null : JsonSerializer.Serialize(mapping);

    /// <summary>Errors keyed <c>mapping.{field}</c>: unknown agent fields, malformed paths.</summary>
    public static Dictionary<string, string[]> Validate(IReadOnlyDictionary<string, string>? mapping, Agent agent)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (mapping is null)
        {
            return errors;
        }

        if (mapping.Count > MaxFields)
        {
            errors["mapping"] = [$"At most {MaxFields} mapped fields."];
            return errors;
        }

        foreach (var (field, path) in mapping)
        {
            if (!agent.InputFields.Any(f => f.Name == field))
            {
                errors[$"mapping.{field}"] = [$"Agent '{agent.Key}' has no input field '{field}'; its fields are {string.Join(", ", agent.InputFields.Select(f => f.Name))}."];
            }
            else if (PayloadPath.Validate(path) is { } problem)
            {
                errors[$"mapping.{field}"] = [problem];
            }
        }

        return errors;
    }

    /// <summary>The agent input for one payload.</summary>
    public static JsonObject Apply(IReadOnlyDictionary<string, string>? mapping, JsonObject payload, Agent agent)
    {
        var input = new JsonObject();
        if (mapping is null || mapping.Count == 0)
        {
            foreach (var (name, value) in payload)
            {
                input[name] = value?.DeepClone();
            }
        }
        else
        {
            foreach (var (field, path) in mapping)
            {
                input[field] = PayloadPath.Resolve(payload, path)?.DeepClone();
            }
        }

        foreach (var field in agent.InputFields)
        {
            if (input[field.Name] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                input[field.Name] = Convert(value.GetValue<string>(), field.Type) ?? value;
            }
        }

        return input;
    }

    private static JsonValue? Convert(string text, InputFieldType type)
    {
        var trimmed = text.Trim();
        return type switch
        {
            InputFieldType.Number when decimal.TryParse(trimmed, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            InputFieldType.Boolean when trimmed.ToLowerInvariant() is "true" or "yes" or "on" or "1" => JsonValue.Create(true),
            InputFieldType.Boolean when trimmed.ToLowerInvariant() is "false" or "no" or "off" or "0" => JsonValue.Create(false),
            _ => null,
        };
    }
}
