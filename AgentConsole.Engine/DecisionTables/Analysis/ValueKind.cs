using System.Globalization;

namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>
/// The kind of values an input column holds, as far as the analysis reasons about them.
/// <see cref="Any"/> is a column with no typeRef and no typed literal: only null and "some other value" are told apart.
/// </summary>
internal enum ValueKind
{
    Any,
    Number,
    Text,
    Flag,
    Date,
    DateTime,
    Time,
    DaysTimeDuration,
    YearsMonthsDuration,
}

/// <summary>
/// Maps FEEL values to the analysis' comparable keys. Temporal values and durations are whole numbers of days, ticks or
/// months, so their sets are kept as closed integer ranges (exact emptiness); numbers are dense decimals.
/// </summary>
internal static class ValueKinds
{
    // Examples of a whole-domain temporal column start here rather than at year 1, so they read naturally.
    private static readonly DateOnly AnchorDate = new(2026, 1, 1);

    public static bool IsOrdered(ValueKind kind) => kind is not (ValueKind.Any or ValueKind.Text or ValueKind.Flag);

    public static bool IsDiscrete(ValueKind kind) => IsOrdered(kind) && kind != ValueKind.Number;

    /// <summary>Smallest and largest key of a discrete kind.</summary>
    public static (decimal Min, decimal Max) KeyRange(ValueKind kind) => kind switch
    {
        ValueKind.Date => (DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber),
        ValueKind.DateTime => (DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks),
        ValueKind.Time => (TimeOnly.MinValue.Ticks, TimeOnly.MaxValue.Ticks),
        ValueKind.DaysTimeDuration => (TimeSpan.MinValue.Ticks, TimeSpan.MaxValue.Ticks),
        ValueKind.YearsMonthsDuration => (int.MinValue, int.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only discrete kinds have a key range."),
    };

    /// <summary>The key a discrete kind's example values gravitate to when the set allows it.</summary>
    public static decimal AnchorKey(ValueKind kind) => kind switch
    {
        ValueKind.Date => AnchorDate.DayNumber,
        ValueKind.DateTime => new DateTimeOffset(AnchorDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).UtcTicks,
        _ => 0m,
    };

    public static ValueKind? Of(object? value) => value switch
    {
        decimal => ValueKind.Number,
        string => ValueKind.Text,
        bool => ValueKind.Flag,
        DateOnly => ValueKind.Date,
        DateTimeOffset => ValueKind.DateTime,
        TimeOnly => ValueKind.Time,
        TimeSpan => ValueKind.DaysTimeDuration,
        YearsMonthsDuration => ValueKind.YearsMonthsDuration,
        _ => null,
    };

    public static ValueKind? FromTypeRef(FeelType? type) => type switch
    {
        FeelType.Number => ValueKind.Number,
        FeelType.String => ValueKind.Text,
        FeelType.Boolean => ValueKind.Flag,
        FeelType.Date => ValueKind.Date,
        FeelType.DateTime => ValueKind.DateTime,
        FeelType.Time => ValueKind.Time,
        FeelType.DaysTimeDuration => ValueKind.DaysTimeDuration,
        FeelType.YearsMonthsDuration => ValueKind.YearsMonthsDuration,
        _ => null,
    };

    /// <summary>The comparable key of an ordered value; the value must be of <paramref name="kind"/>.</summary>
    public static decimal Key(ValueKind kind, object value) => (kind, value) switch
    {
        (ValueKind.Number, decimal d) => d,
        (ValueKind.Date, DateOnly d) => d.DayNumber,
        (ValueKind.DateTime, DateTimeOffset d) => d.UtcTicks,
        (ValueKind.Time, TimeOnly t) => t.Ticks,
        (ValueKind.DaysTimeDuration, TimeSpan t) => t.Ticks,
        (ValueKind.YearsMonthsDuration, YearsMonthsDuration m) => m.TotalMonths,
        _ => throw new ArgumentException($"{value} is not a {Name(kind)}.", nameof(value)),
    };

    public static object FromKey(ValueKind kind, decimal key) => kind switch
    {
        ValueKind.Number => key,
        ValueKind.Date => DateOnly.FromDayNumber((int)key),
        ValueKind.DateTime => new DateTimeOffset((long)key, TimeSpan.Zero),
        ValueKind.Time => new TimeOnly((long)key),
        ValueKind.DaysTimeDuration => new TimeSpan((long)key),
        ValueKind.YearsMonthsDuration => new YearsMonthsDuration((int)key),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only ordered kinds have keys."),
    };

    public static string Name(ValueKind kind) => kind switch
    {
        ValueKind.Number => "number",
        ValueKind.Text => "string",
        ValueKind.Flag => "boolean",
        ValueKind.Date => "date",
        ValueKind.DateTime => "date and time",
        ValueKind.Time => "time",
        ValueKind.DaysTimeDuration => "days and time duration",
        ValueKind.YearsMonthsDuration => "years and months duration",
        _ => "value",
    };

    /// <summary>How a value is written in S-FEEL, so messages can be pasted back into a cell.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        DateOnly d => $"date(\"{FeelTemporal.FormatDate(d)}\")",
        DateTimeOffset d => $"date and time(\"{FeelTemporal.FormatDateTime(d)}\")",
        TimeOnly t => $"time(\"{FeelTemporal.FormatTime(t)}\")",
        TimeSpan t => $"duration(\"{FeelTemporal.FormatDuration(t)}\")",
        YearsMonthsDuration m => $"duration(\"{m}\")",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };
}
