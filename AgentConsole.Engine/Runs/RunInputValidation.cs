using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;

namespace AgentConsole.Engine.Runs;

/// <summary>Checks a trigger input against the agent's declared input fields (its input schema).</summary>
public static class RunInputValidation
{
    public static Dictionary<string, string[]> Validate(Agent agent, JsonObject input)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var field in agent.InputFields)
        {
            var path = $"input.{field.Name}";
            var present = input.TryGetPropertyValue(field.Name, out var value);
            if (!present || value is null || (value is JsonValue s && s.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(s.GetValue<string>())))
            {
                if (field.Required)
                {
                    errors[path] = [$"'{field.Name}' is required."];
                }

                continue;
            }

            var problem = field.Type switch
            {
                InputFieldType.Number => value.GetValueKind() == JsonValueKind.Number ? null : "must be a number",
                InputFieldType.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false",
                InputFieldType.Date => IsString(value, out var d) && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? null : "must be a date (yyyy-MM-dd)",
                InputFieldType.DateTime => IsString(value, out var t) && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)
                    ? null : "must be an ISO-8601 date and time",
                _ => value.GetValueKind() == JsonValueKind.String ? null : "must be text",
            };
            if (problem is not null)
            {
                errors[path] = [$"'{field.Name}' {problem}; got {Describe(value)}."];
            }
        }

        return errors;
    }

    private static bool IsString(JsonNode node, out string text)
    {
        text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        return text.Length > 0;
    }

    private static string Describe(JsonNode node)
    {
        var json = node.ToJsonString();
        return node.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            _ => json.Length > 40 ? json[..40] + "…" : json,
        };
    }
}
