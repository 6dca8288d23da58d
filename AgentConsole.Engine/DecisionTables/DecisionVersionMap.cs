using System.Text.Json;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Decision key → version number, as a run or an evaluation records the decision versions it ran under
/// (e.g. <c>{"lead-routing":3}</c>).
/// </summary>
public static class DecisionVersionMap
{
    public static string Write(IEnumerable<KeyValuePair<string, int>> versions) =>
        JsonSerializer.Serialize(new SortedDictionary<string, int>(versions.ToDictionary(v => v.Key, v => v.Value), StringComparer.Ordinal));

    /// <summary>The map in <paramref name="json"/>; empty when it is null or not such a map.</summary>
    public static IReadOnlyDictionary<string, int> Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, int>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, int>();
        }
    }

    /// <summary>"lead-routing v3, scoring v1" for pages and reports.</summary>
    public static string Describe(string? json)
    {
        var map = Read(json);
        return map.Count == 0 ? "none" : string.Join(", ", map.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} v{m.Value}"));
    }
}
