using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers.Forms;

/// <summary>A web form as its public page shows it, read from a form trigger's (validated) settings.</summary>
public sealed record FormDefinition(string Title, string? Description, IReadOnlyList<FormField> Fields, string ThankYou)
{
    public const string DefaultThankYou = "Thank you — we have received your message.";

    public static FormDefinition From(string fallbackTitle, JsonObject settings)
    {
        var fields = new List<FormField>();
        if (settings["fields"] is JsonArray array)
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                var name = Text(item, "name");
                if (name is null)
                {
                    continue;
                }

                var options = item["options"] is JsonArray list
                    ? list.Select(o => o is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList()
                    : null;
                fields.Add(new FormField(name, Text(item, "label") ?? name, Text(item, "type")?.ToLowerInvariant() ?? FormField.Text,
                    item["required"] is JsonValue r && r.TryGetValue<bool>(out var required) && required, options));
            }
        }

        return new FormDefinition(Text(settings, "title") ?? fallbackTitle, Text(settings, "description"), fields,
            Text(settings, "thankYou") ?? DefaultThankYou);
    }

    internal static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
