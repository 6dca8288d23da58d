using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// The confidence an agent reports at the end of its final answer (<c>Confidence: 0.7</c> or <c>Confidence: 70%</c>),
/// as a number from 0 to 1; null when it reports none. The last such line counts.
/// </summary>
public static partial class ReportedConfidence
{
    public const string Instruction = "End your final answer with a line \"Confidence: <a number from 0 to 1>\" saying how sure you are that the outcome is right.";

    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var matches = Line().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }

        var last = matches[^1];
        if (!decimal.TryParse(last.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        if (last.Groups["percent"].Success || value > 1)
        {
            value /= 100;
        }

        return value is >= 0 and <= 1 ? value : null;
    }

    [GeneratedRegex(@"^[\s*_>-]*confidence[\s*_]*[:=]\s*(?<value>\d{1,3}(?:\.\d+)?)\s*(?<percent>%)?[\s*_.]*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Line();
}
