using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>
/// The mapping between real values and placeholders for one run. The same value always gets the same placeholder
/// (<c>&lt;SSN_1&gt;</c>, <c>&lt;SSN_2&gt;</c>, <c>&lt;EMAIL_1&gt;</c> …), so the model can reason about "the same card"
/// across steps, and <see cref="ToJson"/> lets a paused run resume with the placeholders it already showed the model.
/// </summary>
/// <remarks>
/// The JSON holds the real values: store it as sensitively as the run input, never in the audit log or a prompt.
/// Safe to use from several threads.
/// </remarks>
public sealed class RedactionVault
{
    private const int FormatVersion = 1;

    private readonly Redactor redactor;
    private readonly Lock gate = new();
    private readonly Dictionary<string, string> placeholderByValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> valueByPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> lastNumberByKind = new(StringComparer.Ordinal);
    private readonly List<(string Kind, string Placeholder, string Value)> entries = [];

    // Every model call sends the whole conversation again, so the same texts (system prompt, input, earlier turns)
    // were scanned on every call. A text redacts the same way each time: the scan depends only on the text, and a
    // value keeps its placeholder for the vault's life. Bounded so an endless run cannot grow it without limit.
    private const int MaxRemembered = 1024;
    private readonly Dictionary<string, string> redactedByText = new(StringComparer.Ordinal);

    public RedactionVault(Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        this.redactor = redactor;
    }

    /// <summary>Restores a vault saved with <see cref="ToJson"/>; <see langword="null"/> or empty gives an empty vault.</summary>
    /// <exception cref="JsonException">The text is not a saved vault. Resuming with a guessed mapping would hand tools wrong values.</exception>
    public static RedactionVault FromJson(Redactor redactor, string? json)
    {
        var vault = new RedactionVault(redactor);
        if (string.IsNullOrWhiteSpace(json))
        {
            return vault;
        }

        if (JsonNode.Parse(json) is not JsonObject root || root["entries"] is not JsonArray items)
        {
            throw new JsonException("Redaction vault JSON must be an object with an \"entries\" array.");
        }

        foreach (var item in items)
        {
            var kind = (string?)item?["kind"];
            var placeholder = (string?)item?["placeholder"];
            var value = (string?)item?["value"];
            if (kind is null || placeholder is null || value is null
                || !placeholder.StartsWith($"<{kind}_", StringComparison.Ordinal)
                || !int.TryParse(placeholder.AsSpan(kind.Length + 2, placeholder.Length - kind.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || Redactor.PlaceholderPattern.Match(placeholder) is not { Success: true } m || m.Length != placeholder.Length)
            {
                // The value is a real one: it stays out of the message, which reaches logs and the run's (redacted) reason.
                throw new JsonException($"Redaction vault entry (kind {kind ?? "?"}, placeholder {placeholder ?? "?"}) is not a kind, placeholder and value.");
            }

            if (!vault.valueByPlaceholder.TryAdd(placeholder, value))
            {
                throw new JsonException($"Redaction vault lists {placeholder} twice.");
            }

            vault.placeholderByValue.TryAdd(value, placeholder);
            vault.lastNumberByKind[kind] = Math.Max(number, vault.lastNumberByKind.GetValueOrDefault(kind));
            vault.entries.Add((kind, placeholder, value));
        }

        return vault;
    }

    public string ToJson()
    {
        lock (gate)
        {
            var items = new JsonArray();
            foreach (var (kind, placeholder, value) in entries)
            {
                items.Add(new JsonObject { ["kind"] = kind, ["placeholder"] = placeholder, ["value"] = value });
            }

            return new JsonObject { ["version"] = FormatVersion, ["entries"] = items }.ToJsonString();
        }
    }

    /// <summary>How many distinct values the vault holds.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Replaces every sensitive value with its placeholder, issuing new placeholders for values not seen yet.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (gate)
        {
            if (redactedByText.TryGetValue(text, out var remembered))
            {
                return remembered;
            }
        }

        var matches = redactor.Find(text);
        if (matches.Count == 0)
        {
            lock (gate)
            {
                Remember(text, text);
            }

            return text;
        }

        var sb = new StringBuilder(text.Length);
        var position = 0;
        lock (gate)
        {
            foreach (var match in matches)
            {
                sb.Append(text, position, match.Index - position);
                sb.Append(PlaceholderFor(match.Kind, text.Substring(match.Index, match.Length)));
                position = match.End;
            }

            var redacted = sb.Append(text, position, text.Length - position).ToString();
            Remember(text, redacted);
            return redacted;
        }
    }

    // Callers hold the gate.
    private void Remember(string text, string redacted)
    {
        if (redactedByText.Count < MaxRemembered)
        {
            redactedByText[text] = redacted;
        }
    }

    /// <summary>
    /// Puts the real values back. Placeholder-shaped text this vault did not issue stays as it is: it came from
    /// somewhere else (a user, another run) and has no real value here.
    /// </summary>
    public string Restore(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        lock (gate)
        {
            if (entries.Count == 0)
            {
                return text;
            }

            // One pass: a restored value that itself looks like a placeholder is not replaced again.
            return Redactor.PlaceholderPattern.Replace(text, m => valueByPlaceholder.GetValueOrDefault(m.Value, m.Value));
        }
    }

    /// <summary>A deep copy with string values redacted; property names are kept so the shape stays readable.</summary>
    /// <remarks>
    /// A string under a secret-like name (<c>"password"</c>, <c>"apiKey"</c>, <c>"access_token"</c>) is redacted whole,
    /// and a number that is itself sensitive (a card number sent as a JSON number) becomes a placeholder string.
    /// </remarks>
    public JsonNode? Redact(JsonNode? node) => node is null ? null : RedactNode(node, propertyName: null);

    /// <summary>A deep copy with placeholders in string values restored.</summary>
    public JsonNode? Restore(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Restore(p.Value))), o.Options),
        JsonArray a => CopyArray(a, Restore),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(Restore(ReadString(v))),
        _ => node.DeepClone(),
    };

    /// <summary>Redacts one value that sits under a name (a JSON property, a function argument).</summary>
    internal string Redact(string text, string? propertyName)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || !redactor.IsSecretName(propertyName) || IsPlaceholder(text))
        {
            return Redact(text);
        }

        lock (gate)
        {
            return PlaceholderFor(SensitiveKinds.Secret, text);
        }
    }

    internal JsonNode RedactNode(JsonNode node, string? propertyName) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : RedactNode(p.Value, p.Key))), o.Options),
        // Items of an array under "tokens" or "passwords" are judged by that name too.
        JsonArray a => CopyArray(a, i => i is null ? null : RedactNode(i, propertyName)),
        JsonValue v => RedactValue(v, propertyName),
        _ => node.DeepClone(),
    };

    private JsonNode RedactValue(JsonValue value, string? propertyName)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return JsonValue.Create(Redact(ReadString(value), propertyName));
            case JsonValueKind.Number:
                var raw = value.ToJsonString();
                var redacted = Redact(raw, propertyName);
                return redacted == raw ? value.DeepClone() : JsonValue.Create(redacted);
            default:
                return value.DeepClone();
        }
    }

    private static JsonArray CopyArray(JsonArray array, Func<JsonNode?, JsonNode?> copy)
    {
        JsonNode?[] items = [.. array.Select(copy)];
        return array.Options is { } options ? new JsonArray(options, items) : new JsonArray(items);
    }

    private static string ReadString(JsonValue value)
    {
        if (value.TryGetValue<string>(out var s))
        {
            return s;
        }

        // Values created from a char, a Guid or a date are strings in JSON but not CLR strings.
        using var document = JsonDocument.Parse(value.ToJsonString());
        return document.RootElement.GetString() ?? "";
    }

    private static bool IsPlaceholder(string text) =>
        Redactor.PlaceholderPattern.Match(text) is { Success: true } m && m.Length == text.Length;

    // Callers hold the gate.
    private string PlaceholderFor(string kind, string value)
    {
        if (placeholderByValue.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var number = lastNumberByKind.GetValueOrDefault(kind) + 1;
        lastNumberByKind[kind] = number;
        var placeholder = string.Create(CultureInfo.InvariantCulture, $"<{kind}_{number}>");
        placeholderByValue[value] = placeholder;
        valueByPlaceholder[placeholder] = value;
        entries.Add((kind, placeholder, value));
        return placeholder;
    }
}
