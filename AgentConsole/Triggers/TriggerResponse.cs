using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;

namespace AgentConsole.Triggers;

/// <summary>
/// A trigger as the API returns it: never a secret value (<c>secretNames</c> only), with its public URL (webhooks and
/// forms) and its health (pollers' last check).
/// </summary>
public sealed record TriggerResponse(
    string Key,
    string Agent,
    string Name,
    TriggerKind Kind,
    bool Enabled,
    string? Url,
    TriggerFilter? Filter,
    IReadOnlyDictionary<string, string>? Mapping,
    JsonObject Settings,
    IReadOnlyList<string> SecretNames,
    string? DedupField,
    int DedupWindowMinutes,
    bool Healthy,
    DateTimeOffset? LastCheckedAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int ConsecutiveFailures,
    int Revision,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public static TriggerResponse From(Trigger t, TriggerCatalog catalog, string baseUri) => new(
        t.Key, t.AgentKey, t.Name, t.Kind, t.Enabled, TriggerLinks.PublicUrl(t, catalog, baseUri), TriggerFilter.FromJson(t.FilterJson),
        TriggerMapping.FromJson(t.MappingJson), JsonNode.Parse(t.SettingsJson) as JsonObject ?? [], catalog.SecretNames(t), t.DedupField,
        t.DedupWindowMinutes, t.Healthy, t.LastCheckedAt, t.LastError, t.LastErrorAt, t.ConsecutiveFailures, t.Revision, t.CreatedAt,
        t.CreatedBy, t.UpdatedAt, t.UpdatedBy);
}
