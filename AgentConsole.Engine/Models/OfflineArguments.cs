using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Models;

/// <summary>
/// Fills a tool's arguments from what the run knows. For each property of the tool's JSON schema, in schema order,
/// the first candidate that converts to the property's type (and is one of its <c>enum</c> values, if listed) wins:
/// <list type="number">
/// <item>for a parameter with an <c>enum</c> (or, for free text, <c>examples</c>): a listed value that a reviewer's guidance
/// names, the latest guidance first;</item>
/// <item>the trigger input: a property with the same name, compared case-insensitively and ignoring '_', '-' and
/// spaces; top-level properties first, then nested ones breadth-first;</item>
/// <item>the decision results: a decision key or an output name (a property anywhere inside a result) with that name;</item>
/// <item>earlier successful tool results, the latest first: a property with that name anywhere inside the result;</item>
/// <item>a decision whose result is a single value and whose key's last word has the same stem as the parameter's
/// last word ("lead-routing" feeds <c>route</c>, "discount-level" feeds <c>level</c>): the facts carry no output
/// names for single-output decisions, so the key stands in for the output name, and only when nothing above matched;</item>
/// <item>for text parameters named like message, summary, note, text, reason, comment or body: a generated sentence
/// about the input and the decision results;</item>
/// <item>the parameter's schema <c>default</c>.</item>
/// </list>
/// An escalation's <c>reason</c> is always the planner's explanation. Optional parameters without a value are
/// left out; required ones are passed as null and reported back to the planner.
/// </summary>
internal static class OfflineArguments
{
    private static readonly string[] TextWords = ["message", "summary", "note", "text", "reason", "comment", "body", "subject", "title"];

    // Other names under which a tool asks for a value the run knows: whom to write to or invite is the lead's e-mail;
    // which channel to notify is the owning team.
    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.Ordinal)
    {
        ["to"] = ["email"],
        ["recipient"] = ["email"],
        ["recipients"] = ["email"],
        ["attendee"] = ["email"],
        ["attendees"] = ["email"],
        ["channel"] = ["team", "owner"],
    };

    public static Dictionary<string, object?> Bind(AIFunctionDeclaration tool, OfflineContext context, string? escalationReason, List<string> missing)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        var schema = tool.JsonSchema;
        if (schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object)
        {
            return arguments;
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { } name)
                {
                    required.Add(name);
                }
            }
        }

        foreach (var property in properties.EnumerateObject())
        {
            var value = Resolve(tool.Name, property.Name, property.Value, context, escalationReason);
            if (value is not null)
            {
                arguments[property.Name] = OfflineJson.ToArgument(value);
            }
            else if (required.Contains(property.Name))
            {
                arguments[property.Name] = null;
                missing.Add(property.Name);
            }
        }

        return arguments;
    }

    private static JsonNode? Resolve(string toolName, string parameter, JsonElement schema, OfflineContext context, string? escalationReason)
    {
        var normalized = OfflineJson.NormalizeName(parameter);
        if (escalationReason is not null && normalized == "reason")
        {
            return Convert(JsonValue.Create(escalationReason), schema);
        }

        foreach (var candidate in Candidates(toolName, parameter, normalized, schema, context))
        {
            if (Convert(candidate, schema) is { } converted)
            {
                return converted;
            }
        }

        return null;
    }

    private static IEnumerable<JsonNode?> Candidates(string toolName, string parameter, string normalized, JsonElement schema, OfflineContext context)
    {
        // A reviewer who names one of a parameter's allowed values ("use the Mid-market sequence") decides it; for a
        // free-text parameter, one of the values its schema gives as examples.
        if (schema.ValueKind == JsonValueKind.Object
            && (schema.TryGetProperty("enum", out var allowed) || schema.TryGetProperty("examples", out allowed))
            && allowed.ValueKind == JsonValueKind.Array)
        {
            for (var g = context.Guidance.Count - 1; g >= 0; g--)
            {
                foreach (var option in allowed.EnumerateArray())
                {
                    if (option.ValueKind == JsonValueKind.String && option.GetString() is { Length: > 0 } text
                        && context.Guidance[g].Contains(text, StringComparison.OrdinalIgnoreCase))
                    {
                        yield return JsonValue.Create(text);
                    }
                }
            }
        }

        foreach (var name in Synonyms.TryGetValue(normalized, out var others) ? [normalized, .. others] : new[] { normalized })
        {
            yield return FindProperty(context.Input, name);
            yield return FindProperty(context.Facts, name);

            for (var i = context.History.Calls.Count - 1; i >= 0; i--)
            {
                if (context.History.Calls[i] is { Outcome: ToolOutcome.Succeeded, Value: JsonNode value and (JsonObject or JsonArray) })
                {
                    yield return FindProperty(value, name);
                }
            }
        }

        if (OfflineJson.Words(parameter) is { Count: > 0 } words)
        {
            var stem = OfflineJson.Stem(words[^1]);
            foreach (var (decision, result) in context.Facts)
            {
                if (result is JsonValue && OfflineJson.Words(decision) is { Count: > 0 } keyWords && OfflineJson.Stem(keyWords[^1]) == stem)
                {
                    yield return result;
                }
            }
        }

        if (IsText(schema) && Array.Exists(TextWords, w => normalized.Contains(w, StringComparison.Ordinal)))
        {
            yield return JsonValue.Create(context.GeneratedText(toolName));
        }

        // A time the run does not know: the next working morning (a follow-up meeting, a task's due date).
        if (IsText(schema) && (Format(schema) == "date-time" || normalized is "start" or "startsat" or "starttime"))
        {
            yield return JsonValue.Create(context.NextWorkingMorning.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture));
        }

        if (IsText(schema) && (Format(schema) == "date" || normalized is "duedate" or "date"))
        {
            yield return JsonValue.Create(context.NextWorkingMorning.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        // The tool's own default, else half an hour for a length in minutes.
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("default", out var fallback))
        {
            yield return JsonNode.Parse(fallback.GetRawText());
        }

        if (normalized.Contains("minutes", StringComparison.Ordinal) || normalized.Contains("duration", StringComparison.Ordinal))
        {
            yield return JsonValue.Create(30);
        }
    }

    private static string? Format(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String ? format.GetString() : null;

    private static bool IsText(JsonElement schema) => PrimaryType(schema) is null or "string";

    // Breadth-first, so a top-level property wins over a nested one with the same name.
    private static JsonNode? FindProperty(JsonNode root, string normalized)
    {
        var queue = new Queue<JsonNode>();
        queue.Enqueue(root);
        while (queue.TryDequeue(out var node))
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    if (value is not null && OfflineJson.NormalizeName(key) == normalized)
                    {
                        return value;
                    }
                }

                foreach (var (_, value) in obj)
                {
                    if (value is JsonObject or JsonArray)
                    {
                        queue.Enqueue(value);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var value in array)
                {
                    if (value is JsonObject or JsonArray)
                    {
                        queue.Enqueue(value);
                    }
                }
            }
        }

        return null;
    }

    private static string? PrimaryType(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { } name && name != "null")
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>The value in the schema's type, or null when it cannot be one (the next candidate is tried).</summary>
    private static JsonNode? Convert(JsonNode? value, JsonElement schema)
    {
        if (value is null || (value is JsonValue nullValue && nullValue.GetValueKind() == JsonValueKind.Null))
        {
            return null;
        }

        var converted = PrimaryType(schema) switch
        {
            "string" => value switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => value.DeepClone(),
                JsonValue => JsonValue.Create(value.ToJsonString()),
                _ => JsonValue.Create(value.ToJsonString()),
            },
            "number" => Number(value) is { } number ? JsonValue.Create(number) : null,
            "integer" => Number(value) is { } whole && whole == decimal.Truncate(whole) && whole is >= long.MinValue and <= long.MaxValue
                ? JsonValue.Create((long)whole)
                : null,
            "boolean" => Boolean(value) is { } flag ? JsonValue.Create(flag) : null,
            "array" => value is JsonArray ? value.DeepClone() : new JsonArray(value.DeepClone()),
            "object" => value is JsonObject ? value.DeepClone() : null,
            _ => value.DeepClone(),
        };

        return converted is not null && IsAllowed(converted, schema) ? converted : null;
    }

    private static bool IsAllowed(JsonNode value, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("enum", out var allowed) || allowed.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        foreach (var option in allowed.EnumerateArray())
        {
            if (JsonNode.DeepEquals(JsonNode.Parse(option.GetRawText()), value))
            {
                return true;
            }
        }

        return false;
    }

    private static decimal? Number(JsonNode value)
    {
        if (value is not JsonValue v)
        {
            return null;
        }

        var text = v.GetValueKind() switch
        {
            JsonValueKind.Number => v.ToJsonString(),
            JsonValueKind.String => v.GetValue<string>().Trim(),
            _ => null,
        };
        return text is not null && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static bool? Boolean(JsonNode value)
    {
        if (value is not JsonValue v)
        {
            return null;
        }

        switch (v.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return Number(v) switch { 1m => true, 0m => false, _ => null };
            case JsonValueKind.String:
                var text = v.GetValue<string>().Trim();
                if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("no", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                return null;
            default:
                return null;
        }
    }
}
