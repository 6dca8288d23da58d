using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;

namespace AgentConsole.Triggers;

/// <summary>
/// A trigger as the API receives it (create and replace). <c>kind</c> is a <see cref="TriggerKind"/> name in any case
/// (<c>webhook</c>, <c>databaseRecord</c>, <c>database-record</c>); on a replace it may be left out. <c>secrets</c> sets
/// named secrets (an empty value removes one, a name left out keeps it).
/// </summary>
public sealed record TriggerRequest(
    string? Kind,
    string? Name,
    TriggerFilter? Filter = null,
    Dictionary<string, string>? Mapping = null,
    JsonObject? Settings = null,
    Dictionary<string, string>? Secrets = null,
    string? DedupField = null,
    int? DedupWindowMinutes = null,
    bool? Enabled = null,
    string? Key = null)
{
    /// <summary>Reads a kind name; null when it names no kind.</summary>
    public static TriggerKind? ParseKind(string? text)
    {
        var compact = text?.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim();
        return !string.IsNullOrEmpty(compact) && !compact.All(char.IsAsciiDigit) && Enum.TryParse<TriggerKind>(compact, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : null;
    }

    public TriggerDraft ToDraft(TriggerKind kind) => new(
        Name ?? "", kind, Enabled ?? true, Filter, Mapping, Settings, Secrets, DedupField, DedupWindowMinutes, Key);
}
