using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// Reads a value out of an event payload by a path of names separated by dots with optional list indexes:
/// <c>lead.address.country</c>, <c>attachments[0].name</c>. A name matches exactly first, then ignoring case, so
/// <c>Email</c> finds <c>email</c>.
/// </summary>
public static partial class PayloadPath
{
    public const int MaxLength = 256;

    /// <summary>Null when the path is well formed, otherwise what is wrong with it.</summary>
    public static string? Validate(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "Give a field path, e.g. lead.email.";
        }

        if (path.Length > MaxLength)
        {
            return $"A path has at most {MaxLength} characters.";
        }

        return Shape().IsMatch(path) ? null : $"'{path}' is not a field path: names (letters, digits, _ or -) separated by dots, each optionally followed by [index].";
    }

    /// <summary>The node at the path, or null when any part is missing (JSON null and missing read the same).</summary>
    public static JsonNode? Resolve(JsonNode? payload, string path)
    {
        var node = payload;
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            node = Child(node, name);
            for (var at = bracket; at >= 0 && node is not null; at = segment.IndexOf('[', at + 1))
            {
                var close = segment.IndexOf(']', at);
                var index = int.Parse(segment.AsSpan(at + 1, close - at - 1), System.Globalization.CultureInfo.InvariantCulture);
                node = node is JsonArray array && index < array.Count ? array[index] : null;
            }

            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static JsonNode? Child(JsonNode? node, string name)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[\p{L}\p{N}_\-$@]+(\[\d{1,6}\])*(\.[\p{L}\p{N}_\-$@]+(\[\d{1,6}\])*)*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Shape();
}
