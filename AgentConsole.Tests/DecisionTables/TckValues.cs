using System.Globalization;
using System.Xml.Linq;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>Reads DMN TCK test-case values and renders results and expectations alike, so they compare by value.</summary>
internal static class TckValues
{
    public static readonly XNamespace TestCases = "http://www.omg.org/spec/DMN/20160719/testcase";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>Reads a TCK value node: a typed &lt;value&gt;, &lt;component&gt;s (a context) or a &lt;list&gt; of &lt;item&gt;s.</summary>
    public static object? Read(XElement node)
    {
        if (node.Element(TestCases + "list") is { } list)
        {
            return list.Elements(TestCases + "item").Select(Read).ToList();
        }

        var components = node.Elements(TestCases + "component").ToList();
        if (components.Count > 0)
        {
            return components.ToDictionary(c => (string)c.Attribute("name")!, Read);
        }

        var value = node.Element(TestCases + "value");
        if (value is null || (bool?)value.Attribute(Xsi + "nil") == true)
        {
            return null;
        }

        var type = ((string?)value.Attribute(Xsi + "type"))?.Split(':')[^1];
        return type switch
        {
            "decimal" or "double" or "integer" or "int" or "long" => decimal.Parse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture),
            "boolean" => bool.Parse(value.Value),
            "date" => DateOnly.ParseExact(value.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            "dateTime" => DateTimeOffset.Parse(value.Value, CultureInfo.InvariantCulture),
            "duration" => value.Value,
            _ => value.Value,
        };
    }

    /// <summary>
    /// Renders a value for comparison. Numbers are rounded to <paramref name="digits"/> significant digits when given:
    /// TCK expectations come from double-precision engines and carry 15 significant digits.
    /// </summary>
    public static string Normalize(object? value, int? digits = null) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        decimal d => Number(d, digits),
        bool b => b ? "true" : "false",
        IReadOnlyDictionary<string, object?> context => "{" + string.Join(", ", context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {Normalize(p.Value, digits)}")) + "}",
        IDictionary<string, object?> context => "{" + string.Join(", ", context.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {Normalize(p.Value, digits)}")) + "}",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(i => Normalize(i, digits))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Number(decimal value, int? digits)
    {
        if (digits is not { } significant || value == 0m)
        {
            return value.ToString("G29", CultureInfo.InvariantCulture);
        }

        var magnitude = (int)Math.Floor(Math.Log10((double)Math.Abs(value)));
        var decimals = Math.Clamp(significant - 1 - magnitude, 0, 28);
        return Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("G29", CultureInfo.InvariantCulture);
    }
}
