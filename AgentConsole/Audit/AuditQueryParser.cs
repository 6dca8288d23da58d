using System.Globalization;
using AgentConsole.Engine.Audit;
using Microsoft.Extensions.Primitives;

namespace AgentConsole.Audit;

/// <summary>
/// Reads an audit search from query-string values, shared by the REST API and the search page's URL,
/// so a search link and an API call mean the same thing.
/// </summary>
public static class AuditQueryParser
{
    public sealed record Parsed(AuditQuery? Query, Dictionary<string, string[]> Errors);

    public static Parsed Parse(Func<string, StringValues> get, int defaultLimit, int maxLimit)
    {
        var errors = new Dictionary<string, string[]>();
        var from = Date("from");
        var to = Date("to");
        var categories = new List<AuditCategory>();
        foreach (var raw in get("category").SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Enum.TryParse<AuditCategory>(raw, ignoreCase: true, out var category) && Enum.IsDefined(category) && !int.TryParse(raw, out _))
            {
                categories.Add(category);
            }
            else
            {
                errors["category"] = [$"Unknown category '{raw}'. Categories: {string.Join(", ", Enum.GetNames<AuditCategory>())}."];
            }
        }

        var limit = defaultLimit;
        var limitText = get("limit").ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {maxLimit}."];
        }

        long? cursor = null;
        var cursorText = get("cursor").ToString();
        if (cursorText.Length > 0)
        {
            if (long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0)
            {
                cursor = c;
            }
            else
            {
                errors["cursor"] = ["cursor must be the nextCursor value of a previous page."];
            }
        }

        if (from is not null && to is not null && from > to)
        {
            errors["to"] = ["to must not be before from."];
        }

        if (errors.Count > 0)
        {
            return new Parsed(null, errors);
        }

        return new Parsed(new AuditQuery
        {
            Text = Text("q"),
            From = from,
            To = to,
            Agent = Text("agent"),
            Run = Text("run"),
            Actor = Text("actor"),
            Categories = categories,
            Before = cursor,
            Limit = limit,
        }, errors);

        string? Text(string name) => get(name).ToString() is { Length: > 0 } value ? value : null;

        DateTimeOffset? Date(string name)
        {
            var text = get(name).ToString();
            if (text.Length == 0)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            {
                return value;
            }

            errors[name] = [$"{name} must be an ISO-8601 date or date-time, such as 2026-11-25 or 2026-11-25T09:30:00Z; got '{text}'."];
            return null;
        }
    }
}
