using System.Globalization;
using System.Net.Mail;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers.Forms;

/// <summary>
/// A visitor's submission checked against the form: the typed payload (numbers as numbers, checkboxes as booleans) when
/// it is valid, otherwise a message per field; the entered values either way, so the page can show them again.
/// </summary>
public sealed record FormSubmission(JsonObject Payload, IReadOnlyDictionary<string, string> Errors, IReadOnlyDictionary<string, string> Values)
{
    public bool Valid => Errors.Count == 0;

    /// <param name="form">The form.</param>
    /// <param name="posted">The posted value of a field by name (null when the browser sent none, as for an unticked checkbox).</param>
    public static FormSubmission Check(FormDefinition form, Func<string, string?> posted)
    {
        var payload = new JsonObject();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in form.Fields)
        {
            var raw = posted(field.Name);
            if (field.Type == FormField.Checkbox)
            {
                var ticked = raw is not null && !raw.Equals("false", StringComparison.OrdinalIgnoreCase) && raw != "0" && raw.Length > 0;
                values[field.Name] = ticked ? "on" : "";
                payload[field.Name] = ticked;
                if (field.Required && !ticked)
                {
                    errors[field.Name] = $"Please tick \"{field.Label}\".";
                }

                continue;
            }

            var text = (raw ?? "").Trim();
            // Visitors paste text with Windows line ends; one form of line end keeps lengths honest.
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
            values[field.Name] = text.Length > field.MaxLength + 100 ? text[..(field.MaxLength + 100)] : text;
            if (text.Length == 0)
            {
                if (field.Required)
                {
                    errors[field.Name] = $"Please fill in \"{field.Label}\".";
                }

                continue;
            }

            if (text.Length > field.MaxLength)
            {
                errors[field.Name] = $"At most {field.MaxLength:N0} characters, please (this has {text.Length:N0}).";
                continue;
            }

            if (field.Type is not FormField.Textarea && text.Contains('\n', StringComparison.Ordinal))
            {
                errors[field.Name] = "One line, please.";
                continue;
            }

            switch (field.Type)
            {
                case FormField.Email when !IsEmail(text):
                    errors[field.Name] = "Please enter an e-mail address like name@example.com.";
                    break;
                case FormField.Number when !decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _):
                    errors[field.Name] = "Please enter a number, e.g. 42 or 3.5.";
                    break;
                case FormField.Number:
                    payload[field.Name] = JsonValue.Create(decimal.Parse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
                    break;
                case FormField.Select when !field.Choices.Contains(text, StringComparer.Ordinal):
                    errors[field.Name] = "Please choose one of the options.";
                    break;
                default:
                    payload[field.Name] = text;
                    break;
            }
        }

        return new FormSubmission(payload, errors, values);
    }

    private static bool IsEmail(string text)
    {
        // MailAddress accepts display names and comments; a form wants the bare address with a dotted domain.
        if (text.Contains(' ', StringComparison.Ordinal) || !MailAddress.TryCreate(text, out var address) || address.Address != text)
        {
            return false;
        }

        var domain = address.Host;
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.');
    }
}
