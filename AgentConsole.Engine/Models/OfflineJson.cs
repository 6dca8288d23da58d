using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Models;

/// <summary>JSON conversions the offline model needs, none of which may throw on whatever a tool returned.</summary>
internal static class OfflineJson
{
    // Arguments end up in the audit log and the run view; "\u0022" there would only hinder reading and searching.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string RawText(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? "" : element.GetRawText();

    public static string Serialize(object? value)
    {
        try
        {
            return value switch
            {
                null => "null",
                string s => s,
                JsonElement e => RawText(e),
                JsonNode n => n.ToJsonString(),
                _ => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
            };
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return value?.ToString() ?? "";
        }
    }

    /// <summary>A detached node for a tool result or argument; JSON text in a string is read as JSON.</summary>
    public static JsonNode? ToNode(object? value)
    {
        try
        {
            switch (value)
            {
                case null:
                    return null;
                case JsonElement e:
                    return e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonNode.Parse(e.GetRawText());
                case JsonNode n:
                    return n.DeepClone();
                case string s:
                    var trimmed = s.TrimStart();
                    if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
                    {
                        try
                        {
                            return JsonNode.Parse(s);
                        }
                        catch (JsonException)
                        {
                        }
                    }

                    return JsonValue.Create(s);
                default:
                    return JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return value?.ToString() is { } text ? JsonValue.Create(text) : null;
        }
    }

    /// <summary>Arguments are handed over as <see cref="JsonElement"/>s, as the OpenAI client parses them.</summary>
    public static object? ToArgument(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(node.ToJsonString(Relaxed));
        return document.RootElement.Clone();
    }

    /// <summary>A value as a person reads it: strings unquoted, everything else as compact JSON.</summary>
    public static string Display(JsonNode? node) => node switch
    {
        null => "no match",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject o => string.Join(", ", o.Select(p => $"{p.Key} {Display(p.Value)}")),
        _ => node.ToJsonString(),
    };

    /// <summary>Names match case-insensitively, ignoring '_', '-' and spaces: "account_id" is "AccountId".</summary>
    public static string NormalizeName(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is not ('_' or '-' or ' '))
            {
                result.Append(char.ToLowerInvariant(c));
            }
        }

        return result.ToString();
    }

    /// <summary>The words of a name: "lead-routing" and "leadRouting" are both "lead", "routing".</summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = c is '_' or '-' or ' ' or '.';
            var camel = char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]);
            if ((boundary || camel) && current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }

            if (!boundary)
            {
                current.Append(char.ToLowerInvariant(c));
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>A crude English stem, enough to see that "route" and "routing" name the same thing.</summary>
    public static string Stem(string word)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["ing", "ion", "ed", "es", "s", "e"])
        {
            if (word.Length - suffix.Length >= 3 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return word[..^suffix.Length];
            }
        }

        return word;
    }
}
