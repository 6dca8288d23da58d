using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Triggers.Forms;

/// <summary>
/// Web form triggers: a public page at <c>/forms/{key}</c> rendered from a field list; each valid submission becomes an
/// event whose payload holds the fields by name. Settings: <c>title</c>, <c>description</c>, <c>fields</c> (1–50 of
/// name, label, type, required, options) and <c>thankYou</c>.
/// </summary>
public sealed partial class FormTriggerHandler : ITriggerKindHandler
{
    public const int MaxFields = 50;
    public const int MaxOptions = 100;
    public const int MaxLabelLength = 200;
    public const int MaxTextLength = 2_000;

    /// <summary>The honeypot's input name; field names start with a letter, so no field can take it.</summary>
    public const string HoneypotName = "_website";

    public TriggerKind Kind => TriggerKind.Form;

    public IReadOnlyList<TriggerSettingField> SettingFields { get; } =
    [
        new("title", "Title", TriggerSettingType.Text, Required: true, Help: "The heading visitors see, e.g. Contact us."),
        new("description", "Introduction", TriggerSettingType.Multiline, Help: "A line or two under the title (optional)."),
        new("fields", "Fields", TriggerSettingType.FormFields, Required: true,
            Help: "1 to 50 fields. The name is the payload field (letters, digits, _ or -; start with a letter); types: text, email, number, textarea, select (give its options), checkbox."),
        new("thankYou", "Thank-you text", TriggerSettingType.Multiline, Help: "Shown after a submission.", Default: FormDefinition.DefaultThankYou),
    ];

    public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        NormaliseText(settings, "title", MaxLabelLength, required: true, errors);
        NormaliseText(settings, "description", MaxTextLength, required: false, errors);
        NormaliseText(settings, "thankYou", MaxTextLength, required: false, errors);
        if (settings["fields"] is not JsonArray fields || fields.Count is 0 or > MaxFields)
        {
            errors["settings.fields"] = [$"A form has 1 to {MaxFields} fields."];
            return;
        }

        var normalised = new JsonArray();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var prefix = $"settings.fields[{i}]";
            if (fields[i] is not JsonObject field)
            {
                errors[prefix] = ["A field is an object with name, label, type, required and options."];
                continue;
            }

            var name = FormDefinition.Text(field, "name");
            if (name is null || !FieldName().IsMatch(name))
            {
                errors[$"{prefix}.name"] = ["A field name has letters, digits, _ or - (at most 64) and starts with a letter, e.g. company_size."];
            }
            else if (!names.Add(name))
            {
                errors[$"{prefix}.name"] = [$"Another field is already named '{name}' (names are compared ignoring case)."];
            }

            var label = FormDefinition.Text(field, "label") ?? name ?? "";
            if (label.Length > MaxLabelLength)
            {
                errors[$"{prefix}.label"] = [$"A label has at most {MaxLabelLength} characters."];
            }

            var type = FormDefinition.Text(field, "type")?.ToLowerInvariant() ?? FormField.Text;
            if (!FormField.Types.Contains(type))
            {
                errors[$"{prefix}.type"] = [$"The type is one of {string.Join(", ", FormField.Types)}."];
            }

            var required = false;
            if (field["required"] is { } requiredNode && !(requiredNode is JsonValue r && r.TryGetValue(out required)))
            {
                errors[$"{prefix}.required"] = ["Required is true or false."];
            }

            var options = new JsonArray();
            if (field["options"] is JsonArray given)
            {
                foreach (var option in given)
                {
                    if (option is JsonValue o && o.TryGetValue<string>(out var text) && text.Trim() is { Length: > 0 and <= MaxLabelLength } trimmed)
                    {
                        options.Add(trimmed);
                    }
                    else
                    {
                        errors[$"{prefix}.options"] = [$"Each option is a text of 1 to {MaxLabelLength} characters."];
                    }
                }
            }
            else if (field["options"] is { })
            {
                errors[$"{prefix}.options"] = ["Options are a list of texts."];
            }

            if (type == FormField.Select && options.Count == 0)
            {
                errors[$"{prefix}.options"] = ["A select field needs at least one option."];
            }
            else if (options.Count > MaxOptions)
            {
                errors[$"{prefix}.options"] = [$"A select field has at most {MaxOptions} options."];
            }

            var normalisedField = new JsonObject { ["name"] = name, ["label"] = label, ["type"] = type, ["required"] = required };
            if (type == FormField.Select)
            {
                normalisedField["options"] = options;
            }

            normalised.Add(normalisedField);
        }

        settings["fields"] = normalised;
    }

    public JsonObject SamplePayload(Trigger trigger)
    {
        var form = FormDefinition.From(trigger.Name, System.Text.Json.Nodes.JsonNode.Parse(trigger.SettingsJson) as JsonObject ?? []);
        var payload = new JsonObject();
        foreach (var field in form.Fields)
        {
            payload[field.Name] = field.Type switch
            {
                FormField.Email => "dana@acme.example",
                FormField.Number => 120,
                FormField.Checkbox => true,
                FormField.Select => field.Choices.Count > 0 ? field.Choices[0] : "",
                FormField.Textarea => "We would like a demo next week.",
                _ => SampleText(field.Name),
            };
        }

        return payload;
    }

    private static string SampleText(string name) => name.ToLowerInvariant() switch
    {
        "name" or "full_name" or "fullname" => "Dana Whitfield",
        "company" or "organisation" or "organization" => "Acme GmbH",
        "phone" => "+49 30 1234567",
        _ => $"Sample {name}",
    };

    private static void NormaliseText(JsonObject settings, string name, int maxLength, bool required, IDictionary<string, string[]> errors)
    {
        var node = settings[name];
        if (node is null)
        {
            if (required)
            {
                errors[$"settings.{name}"] = ["Give the form a title."];
            }

            return;
        }

        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            errors[$"settings.{name}"] = ["A text, please."];
            return;
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                errors[$"settings.{name}"] = ["Give the form a title."];
            }

            settings.Remove(name);
            return;
        }

        if (text.Length > maxLength)
        {
            errors[$"settings.{name}"] = [$"At most {maxLength:N0} characters."];
        }

        settings[name] = text;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex FieldName();
}
