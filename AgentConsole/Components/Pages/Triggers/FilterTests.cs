using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>
/// Turns a builder row into the S-FEEL unary test the engine evaluates and back. A value that reads as a number or
/// true/false is compared as one; anything else as quoted text. A stored test the builder cannot show as a row stays
/// a raw S-FEEL test, so nothing typed by hand is lost.
/// </summary>
public static partial class FilterTests
{
    public static readonly IReadOnlyList<(FilterOperator Operator, string Label)> Operators =
    [
        (FilterOperator.Is, "is"),
        (FilterOperator.IsNot, "is not"),
        (FilterOperator.IsOneOf, "is one of"),
        (FilterOperator.IsNotOneOf, "is not one of"),
        (FilterOperator.GreaterThan, ">"),
        (FilterOperator.AtLeast, "≥"),
        (FilterOperator.LessThan, "<"),
        (FilterOperator.AtMost, "≤"),
        (FilterOperator.Between, "between"),
        (FilterOperator.IsEmpty, "is empty"),
        (FilterOperator.IsPresent, "is present"),
        (FilterOperator.Raw, "S-FEEL test"),
    ];

    public static string Label(FilterOperator op) => Operators.First(o => o.Operator == op).Label;

    public static bool TakesValue(FilterOperator op) => op is not (FilterOperator.IsEmpty or FilterOperator.IsPresent);

    public static string Compose(FilterRow row) => row.Operator switch
    {
        FilterOperator.Is => Literal(row.Value),
        FilterOperator.IsNot => $"not({Literal(row.Value)})",
        FilterOperator.IsOneOf => List(row.Value),
        FilterOperator.IsNotOneOf => $"not({List(row.Value)})",
        FilterOperator.GreaterThan => $"> {Literal(row.Value)}",
        FilterOperator.AtLeast => $">= {Literal(row.Value)}",
        FilterOperator.LessThan => $"< {Literal(row.Value)}",
        FilterOperator.AtMost => $"<= {Literal(row.Value)}",
        FilterOperator.Between => $"[{Literal(row.Value)}..{Literal(row.Value2)}]",
        FilterOperator.IsEmpty => "null,\"\"",
        FilterOperator.IsPresent => "not(null,\"\")",
        _ => row.Value.Trim(),
    };

    public static FilterRow Parse(string path, string test)
    {
        var row = Read(path, test.Trim());

        // Only a row that writes the same test back is shown as a row (e.g. the text "50" stays raw, not the number 50).
        return Compact(Compose(row)) == Compact(test) ? row : new FilterRow { Path = path, Operator = FilterOperator.Raw, Value = test.Trim() };
    }

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static FilterRow Read(string path, string text)
    {
        var row = new FilterRow { Path = path };
        if (text == "null,\"\"")
        {
            row.Operator = FilterOperator.IsEmpty;
            return row;
        }

        if (text == "not(null,\"\")")
        {
            row.Operator = FilterOperator.IsPresent;
            return row;
        }

        var negated = text.StartsWith("not(", StringComparison.Ordinal) && text.EndsWith(')');
        var inner = negated ? text[4..^1].Trim() : text;
        if (SplitList(inner) is { } items)
        {
            row.Operator = (negated, items.Count) switch
            {
                (false, 1) => FilterOperator.Is,
                (true, 1) => FilterOperator.IsNot,
                (false, _) => FilterOperator.IsOneOf,
                _ => FilterOperator.IsNotOneOf,
            };
            row.Value = string.Join(", ", items);
            return row;
        }

        if (!negated && ComparisonPattern().Match(text) is { Success: true } comparison && ReadLiteral(comparison.Groups[2].Value) is { } bound)
        {
            row.Operator = comparison.Groups[1].Value switch
            {
                ">" => FilterOperator.GreaterThan,
                ">=" => FilterOperator.AtLeast,
                "<" => FilterOperator.LessThan,
                _ => FilterOperator.AtMost,
            };
            row.Value = bound;
            return row;
        }

        if (!negated && RangePattern().Match(text) is { Success: true } range
            && ReadLiteral(range.Groups[1].Value) is { } low && ReadLiteral(range.Groups[2].Value) is { } high)
        {
            row.Operator = FilterOperator.Between;
            row.Value = low;
            row.Value2 = high;
            return row;
        }

        row.Operator = FilterOperator.Raw;
        row.Value = text;
        return row;
    }

    /// <summary>Numbers and booleans as they are; text in quotes with quotes and backslashes escaped.</summary>
    public static string Literal(string value)
    {
        var text = value.Trim();
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
            || text is "true" or "false")
        {
            return text;
        }

        return "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static string List(string values) =>
        string.Join(",", values.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Literal));

    /// <summary>A comma-separated list of literals, as the values the builder would show; null when it is something else.</summary>
    private static List<string>? SplitList(string text)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[++i]);
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == ',' && !quoted)
            {
                items.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        items.Add(current.ToString());
        var values = new List<string>();
        foreach (var item in items)
        {
            if (ReadLiteral(item) is not { } value || value.Contains(','))
            {
                return null;
            }

            values.Add(value);
        }

        return values;
    }

    /// <summary>The value a literal shows in the builder: a number, true/false, or a quoted text without its quotes.</summary>
    private static string? ReadLiteral(string literal)
    {
        var text = literal.Trim();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            var body = text[1..^1];
            var unescaped = body.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            // Reject an inner unescaped quote: that is two literals, not one.
            return body.Replace("\\\"", "", StringComparison.Ordinal).Contains('"') ? null : unescaped;
        }

        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
            || text is "true" or "false"
            ? text
            : null;
    }

    [GeneratedRegex(@"^(>=|<=|>|<)\s*(.+)$")]
    private static partial Regex ComparisonPattern();

    [GeneratedRegex(@"^\[(.+)\.\.(.+)\]$")]
    private static partial Regex RangePattern();
}
