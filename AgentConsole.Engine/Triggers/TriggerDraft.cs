using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// What a person sends to create or change a trigger. <see cref="Secrets"/>: a value sets a secret, an empty string
/// removes it, a name left out keeps it (the signing secret of a webhook is generated, never sent).
/// </summary>
public sealed record TriggerDraft(
    string Name,
    TriggerKind Kind,
    bool Enabled = true,
    TriggerFilter? Filter = null,
    IReadOnlyDictionary<string, string>? Mapping = null,
    JsonObject? Settings = null,
    IReadOnlyDictionary<string, string>? Secrets = null,
    string? DedupField = null,
    int? DedupWindowMinutes = null,
    string? Key = null);
