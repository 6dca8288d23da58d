using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentConsole.Engine.Triggers;

/// <summary>How the parts of a filter group combine.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FilterMatch>))]
public enum FilterMatch
{
    /// <summary>AND: every condition and every sub-group must hold.</summary>
    All,

    /// <summary>OR: one condition or sub-group is enough.</summary>
    Any,
}

/// <summary>
/// A trigger's filter: conditions and nested groups combined with AND (<see cref="FilterMatch.All"/>) or OR
/// (<see cref="FilterMatch.Any"/>). The practice guide's example — a new lead AND source is the website contact form
/// AND industry in the target list — is one All group of three conditions.
/// </summary>
public sealed record TriggerFilter(FilterMatch Match, IReadOnlyList<TriggerCondition> Conditions, IReadOnlyList<TriggerFilter>? Groups = null)
{
    public const int MaxConditions = 50;
    public const int MaxDepth = 4;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public IReadOnlyList<TriggerFilter> SubGroups => Groups ?? [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TriggerFilter? FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<TriggerFilter>(json, Json);
}
