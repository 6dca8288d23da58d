using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>ISO-8601 parsing and formatting for FEEL's date, time, date and time and duration values.</summary>
public static partial class FeelTemporal
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd",
    ];

    private static readonly string[] TimeFormats = ["HH:mm:ss", "HH:mm:ss.FFFFFFF", "HH:mm"];

    [GeneratedRegex(@"^(?<neg>-)?P(?!$)(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<d>\d+)D)?(?:T(?=\d)(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>
    /// Parses an ISO-8601 date and time. A value without an offset is taken as UTC, so that comparisons are total;
    /// a date alone means midnight. Zone ids such as <c>@Europe/Paris</c> are not supported.
    /// </summary>
    public static bool TryParseDateTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text.Trim(), DateTimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

    public static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>
    /// Parses <c>P1DT2H</c> into a <see cref="TimeSpan"/> or <c>P1Y2M</c> into a <see cref="YearsMonthsDuration"/>;
    /// a duration that mixes both kinds has no FEEL type and is rejected.
    /// </summary>
    public static bool TryParseDuration(string text, out object? duration, out string? error)
    {
        duration = null;
        error = null;
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            error = $"'{text}' is not an ISO-8601 duration such as P1D, PT2H30M or P1Y2M.";
            return false;
        }

        var negative = match.Groups["neg"].Success;
        var yearsMonths = match.Groups["y"].Success || match.Groups["mo"].Success;
        var daysTime = match.Groups["d"].Success || match.Groups["h"].Success || match.Groups["mi"].Success || match.Groups["s"].Success;
        if (yearsMonths && daysTime)
        {
            error = $"'{text}' mixes years/months with days/time; FEEL keeps those as two separate duration types.";
            return false;
        }

        try
        {
            if (yearsMonths)
            {
                var months = checked((Int(match, "y") * 12) + Int(match, "mo"));
                duration = new YearsMonthsDuration(negative ? -months : months);
                return true;
            }

            var seconds = match.Groups["s"].Success ? decimal.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0m;
            var span = TimeSpan.FromDays(Int(match, "d")) + TimeSpan.FromHours(Int(match, "h"))
                + TimeSpan.FromMinutes(Int(match, "mi")) + TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            duration = negative ? span.Negate() : span;
            return true;
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large a duration.";
            return false;
        }
    }

    private static int Int(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string FormatDateTime(DateTimeOffset value) =>
        value.Offset == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    public static string FormatTime(TimeOnly time) => time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public static string FormatDuration(TimeSpan span)
    {
        if (span == TimeSpan.Zero)
        {
            return "PT0S";
        }

        var sign = span < TimeSpan.Zero ? "-" : "";
        var abs = span.Duration();
        var text = $"{sign}P";
        if (abs.Days > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"{abs.Days}D");
        }

        var rest = abs - TimeSpan.FromDays(abs.Days);
        if (rest > TimeSpan.Zero)
        {
            text += "T";
            if (rest.Hours > 0)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"{rest.Hours}H");
            }

            if (rest.Minutes > 0)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"{rest.Minutes}M");
            }

            var seconds = (decimal)(rest.Ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
            if (seconds > 0)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#######}S");
            }
        }

        return text;
    }
}
