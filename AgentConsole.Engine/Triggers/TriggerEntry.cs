using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers;

/// <summary>A trigger as the hot paths (webhooks, forms, the inbox) read it: settings parsed, secrets decrypted.</summary>
public sealed record TriggerEntry(Trigger Trigger, JsonObject Settings, IReadOnlyDictionary<string, string> Secrets)
{
    /// <summary>A setting as an integer, or null when absent or not a whole number.</summary>
    public int? IntSetting(string name) =>
        Settings[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public string? StringSetting(string name) =>
        Settings[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
