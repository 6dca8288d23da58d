using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>
/// A trigger kind's settings, rendered from its <see cref="ITriggerKindHandler.SettingFields"/> without knowing the
/// kind. It edits <see cref="Settings"/> and <see cref="Secrets"/> in place and shows the kind's live preview (e.g. a
/// schedule's next occurrences) under the form; the engine validates on save and its errors appear at the fields.
/// </summary>
public sealed partial class TriggerSettingsForm
{
    /// <summary>Text that does not parse yet (a number or JSON being typed), kept as typed so the field does not jump.</summary>
    private readonly Dictionary<string, string> _typed = new(StringComparer.Ordinal);

    [Parameter, EditorRequired] public ITriggerKindHandler Handler { get; set; } = default!;

    /// <summary>The kind's settings; edited in place.</summary>
    [Parameter, EditorRequired] public JsonObject Settings { get; set; } = default!;

    /// <summary>Secret values typed in this session (name → value); a name left out keeps the stored secret.</summary>
    [Parameter, EditorRequired] public Dictionary<string, string> Secrets { get; set; } = default!;

    /// <summary>Secrets the trigger already has (names only).</summary>
    [Parameter] public IReadOnlyCollection<string> StoredSecrets { get; set; } = [];

    [Parameter] public IReadOnlyDictionary<string, string[]>? Errors { get; set; }
    [Parameter] public bool ReadOnly { get; set; }
    [Parameter] public EventCallback OnChanged { get; set; }

    private string? PreviewText { get; set; }

    /// <summary>Settings a new trigger of the kind starts with: each field's default.</summary>
    public static JsonObject Defaults(ITriggerKindHandler handler)
    {
        var settings = new JsonObject();
        foreach (var field in handler.SettingFields.Where(f => f.Default is not null && f.Type != TriggerSettingType.Secret))
        {
            settings[field.Name] = field.Type switch
            {
                TriggerSettingType.Boolean => JsonValue.Create(string.Equals(field.Default, "true", StringComparison.OrdinalIgnoreCase)),
                TriggerSettingType.Number when decimal.TryParse(field.Default, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
                TriggerSettingType.Json or TriggerSettingType.FormFields or TriggerSettingType.TextList => TryParse(field.Default!) ?? JsonValue.Create(field.Default),
                _ => JsonValue.Create(field.Default),
            };
        }

        return settings;
    }

    protected override void OnParametersSet() => PreviewText = PreviewOf();

    private string? PreviewOf()
    {
        try
        {
            return Handler.Preview(Settings);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or ArgumentException)
        {
            // Half-typed settings: the preview waits for something it can read.
            return null;
        }
    }

    private string? Error(string key) => Errors is not null && Errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private bool BoolOf(TriggerSettingField field) => Settings[field.Name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private string? TextOf(TriggerSettingField field) => Settings[field.Name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.ToJsonString(),
    };

    private string? EditedText(TriggerSettingField field)
    {
        if (_typed.TryGetValue(field.Name, out var typed))
        {
            return typed;
        }

        return field.Type == TriggerSettingType.Json || field.Type == TriggerSettingType.TextList && Settings[field.Name] is JsonArray
            ? Settings[field.Name] switch
            {
                null => null,
                JsonArray list when field.Type == TriggerSettingType.TextList => string.Join(", ", list.Select(i => i?.ToString())),
                var node => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
            }
            : TextOf(field);
    }

    private IReadOnlyCollection<string> ListOf(TriggerSettingField field) =>
        Settings[field.Name] is JsonArray list ? [.. list.Select(i => i?.ToString() ?? "")] : [];

    private JsonArray FormFieldsOf(TriggerSettingField field) => Settings[field.Name] as JsonArray ?? [];

    private string? SecretOf(TriggerSettingField field) => Secrets.GetValueOrDefault(field.Name);

    private string? SecretHelp(TriggerSettingField field) => StoredSecrets.Contains(field.Name)
        ? "Stored encrypted; leave empty to keep it, type a new value to replace it."
        : field.Help ?? "Stored encrypted and never shown again.";

    private Task SetAsync(TriggerSettingField field, JsonNode? value)
    {
        _typed.Remove(field.Name);
        if (value is null)
        {
            Settings.Remove(field.Name);
        }
        else
        {
            Settings[field.Name] = value;
        }

        return ChangedAsync();
    }

    private Task SetTextAsync(TriggerSettingField field, string? text) =>
        SetAsync(field, string.IsNullOrEmpty(text) ? null : JsonValue.Create(text));

    private Task SetListAsync(TriggerSettingField field, IEnumerable<string>? values) =>
        SetAsync(field, new JsonArray([.. (values ?? []).Select(v => (JsonNode?)JsonValue.Create(v))]));

    private Task SetSecretAsync(TriggerSettingField field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Secrets.Remove(field.Name);
        }
        else
        {
            Secrets[field.Name] = value;
        }

        return ChangedAsync();
    }

    /// <summary>Numbers become JSON numbers, JSON becomes JSON, lists become arrays; text that does not parse yet is kept as typed.</summary>
    private async Task SetTypedTextAsync(TriggerSettingField field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            await SetAsync(field, null);
            return;
        }

        switch (field.Type)
        {
            case TriggerSettingType.Number when decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number):
                await SetAsync(field, number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue ? JsonValue.Create((int)number) : JsonValue.Create(number));
                break;
            case TriggerSettingType.Json when TryParse(text) is { } node:
                await SetAsync(field, node);
                break;
            case TriggerSettingType.TextList:
                await SetAsync(field, new JsonArray([.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => (JsonNode?)JsonValue.Create(v))]));
                _typed[field.Name] = text;
                break;
            case TriggerSettingType.Number or TriggerSettingType.Json:
                // Sent as text so the engine says what is wrong with it at the field.
                await SetAsync(field, JsonValue.Create(text));
                _typed[field.Name] = text;
                break;
            default:
                await SetAsync(field, JsonValue.Create(text));
                break;
        }
    }

    private Task ChangedAsync()
    {
        PreviewText = PreviewOf();
        return OnChanged.InvokeAsync();
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
