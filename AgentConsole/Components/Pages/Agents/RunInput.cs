using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;

namespace AgentConsole.Components.Pages.Agents;

/// <summary>The outcome of reading the Run now editor: the object, or one message that says where the text is wrong.</summary>
public sealed record RunInputParse(JsonObject? Input, string? Error, long? Line = null, long? Column = null);

/// <summary>Reading and prefilling the JSON a person types into "Run now".</summary>
public static class RunInput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses strictly, as the API does; a syntax error names its line and column (1-based) so the user can find it.</summary>
    public static RunInputParse Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(null, "Enter the input as a JSON object, e.g. { \"company\": \"Acme\" }.");
        }

        try
        {
            var node = JsonNode.Parse(text);
            return node is JsonObject input
                ? new(input, null)
                : new(null, $"The input must be a JSON object in {{ }}, not {Describe(node)}.");
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            return new(null, $"Line {line}, column {column}: {Plain(ex.Message)}", line, column);
        }
    }

    /// <summary>A sample input with a plausible value for every declared field; the demo agent's is a 42-employee lead.</summary>
    public static string Sample(IEnumerable<AgentInputField> fields, DateTimeOffset now)
    {
        var sample = new JsonObject();
        foreach (var field in fields.Where(f => !string.IsNullOrWhiteSpace(f.Name)))
        {
            sample[field.Name] = SampleValue(field, now);
        }

        return sample.ToJsonString(Indented);
    }

    private static JsonNode? SampleValue(AgentInputField field, DateTimeOffset now)
    {
        var name = field.Name.ToLowerInvariant();
        return field.Type switch
        {
            InputFieldType.Number => name.Contains("employee", StringComparison.Ordinal) ? 42 : 1,
            InputFieldType.Boolean => false,
            InputFieldType.Date => now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            InputFieldType.DateTime => now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            _ => name switch
            {
                "name" or "full_name" or "fullname" => "Dana Whitfield",
                _ when name.Contains("email", StringComparison.Ordinal) => "dana.whitfield@northwind-logistics.example",
                _ when name.Contains("company", StringComparison.Ordinal) => "Northwind Logistics",
                "industry" => "Logistics",
                "source" => "Website contact form",
                "message" => "We run 12 warehouses and want to automate our inbound freight scheduling. Could we see a demo next week?",
                "notes" => "Met at the Hamburg logistics fair.",
                _ => field.Description is { Length: > 0 } d ? $"({d})" : $"sample {field.Name}",
            },
        };
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list in [ ]",
        _ => node.GetValueKind() == JsonValueKind.String ? "text" : "a single value",
    };

    /// <summary>System.Text.Json appends its own position ("Path: $ | LineNumber: 2 | …"); the message states it once, 1-based.</summary>
    private static string Plain(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return (cut < 0 ? message : message[..cut]).Trim();
    }
}
