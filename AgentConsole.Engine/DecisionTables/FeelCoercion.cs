using System.Globalization;
using System.Text.Json;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Turns caller-supplied values (JSON-ish CLR values or <see cref="JsonElement"/>s) into FEEL values of a typeRef.
/// Wrong types are reported, never guessed: <c>"abc"</c> for a number is an error, <c>"42"</c> is read as 42.
/// </summary>
internal static class FeelCoercion
{
    /// <summary>Returns null on success, otherwise what is wrong with the value (without naming the input).</summary>
    public static string? TryCoerce(object? raw, FeelType? type, out FeelValue value)
    {
        // The shapes callers send most often, checked before the general conversion.
        switch (raw)
        {
            case decimal d when type is FeelType.Number or null:
                value = FeelValue.FromNumber(d);
                return null;
            case string s when type is FeelType.String or null:
                value = FeelValue.FromString(s);
                return null;
            case bool b when type is FeelType.Boolean or null:
                value = FeelValue.FromBoolean(b);
                return null;
            case int i when type is FeelType.Number or null:
                value = FeelValue.FromNumber(i);
                return null;
        }

        value = FeelValue.Null;
        if (raw is JsonElement json)
        {
            switch (json.ValueKind)
            {
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    return null;
                case JsonValueKind.Object or JsonValueKind.Array when type is null:
                    // An untyped input takes a record or a list as it comes; typed ones go through their item definition.
                    return ItemTypes.TryCoerce(raw, null, null, "", out value);
                case JsonValueKind.String:
                    raw = json.GetString();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    raw = json.GetBoolean();
                    break;
                case JsonValueKind.Number:
                    raw = json.TryGetDecimal(out var d) ? d : json.GetDouble();
                    break;
                default:
                    return $"must be a single value, not a JSON {json.ValueKind.ToString().ToLowerInvariant()}";
            }
        }

        if (raw is null)
        {
            return null;
        }

        if (type is null && raw is not string && raw is System.Collections.IEnumerable)
        {
            return ItemTypes.TryCoerce(raw, null, null, "", out value);
        }

        return type switch
        {
            null => Untyped(raw, out value),
            FeelType.Number => ToNumber(raw, out value),
            FeelType.String => raw is string s ? Ok(FeelValue.FromString(s), out value) : Expected("a string", raw),
            FeelType.Boolean => ToBoolean(raw, out value),
            FeelType.Date => ToDate(raw, out value),
            FeelType.DateTime => ToDateTime(raw, out value),
            FeelType.Time => ToTime(raw, out value),
            _ => ToDuration(raw, type.Value, out value),
        };
    }

    /// <summary>Checks or converts an already computed FEEL value to a column's typeRef.</summary>
    public static string? TryCoerce(in FeelValue input, FeelType? type, out FeelValue value)
    {
        value = input;
        if (type is null || input.IsNull || Matches(input.Kind, type.Value))
        {
            return null;
        }

        return input.Kind == FeelKind.String ? TryCoerce(input.Ref, type, out value) : $"must be {Describe(type.Value)}; got the {FeelValue.KindName(input.Kind)} {input}";
    }

    public static bool Matches(FeelKind kind, FeelType type) => type switch
    {
        FeelType.String => kind == FeelKind.String,
        FeelType.Number => kind == FeelKind.Number,
        FeelType.Boolean => kind == FeelKind.Boolean,
        FeelType.Date => kind == FeelKind.Date,
        FeelType.DateTime => kind == FeelKind.DateTime,
        FeelType.Time => kind == FeelKind.Time,
        FeelType.Duration => kind is FeelKind.DaysTimeDuration or FeelKind.YearsMonthsDuration,
        FeelType.DaysTimeDuration => kind == FeelKind.DaysTimeDuration,
        FeelType.YearsMonthsDuration => kind == FeelKind.YearsMonthsDuration,
        _ => false,
    };

    public static string Describe(FeelType type) => type switch
    {
        FeelType.String => "a string",
        FeelType.Number => "a number",
        FeelType.Boolean => "a boolean (true or false)",
        FeelType.Date => "a date (yyyy-MM-dd)",
        FeelType.DateTime => "a date and time (ISO-8601, e.g. 2026-01-31T09:30:00Z)",
        FeelType.Time => "a time (HH:mm:ss)",
        FeelType.Duration => "a duration (ISO-8601, e.g. P1D or P1Y2M)",
        FeelType.DaysTimeDuration => "a days and time duration (ISO-8601, e.g. P1DT2H)",
        FeelType.YearsMonthsDuration => "a years and months duration (ISO-8601, e.g. P1Y2M)",
        _ => type.ToString(),
    };

    private static string? Ok(FeelValue result, out FeelValue value)
    {
        value = result;
        return null;
    }

    private static string Expected(string what, object raw) => $"must be {what}; got {DescribeRaw(raw)}";

    private static string DescribeRaw(object raw) => raw switch
    {
        string s => $"the string \"{s}\"",
        bool b => $"the boolean {(b ? "true" : "false")}",
        IConvertible c when IsNumeric(raw) => $"the number {c.ToString(CultureInfo.InvariantCulture)}",
        _ => $"a value of type {raw.GetType().Name}",
    };

    private static bool IsNumeric(object raw) => raw is decimal or double or float or int or long or short or byte or sbyte or uint or ulong or ushort;

    private static string? Untyped(object raw, out FeelValue value)
    {
        switch (raw)
        {
            case string s:
                return Ok(FeelValue.FromString(s), out value);
            case bool b:
                return Ok(FeelValue.FromBoolean(b), out value);
            case DateOnly d:
                return Ok(FeelValue.FromDate(d), out value);
            case DateTime or DateTimeOffset:
                return ToDateTime(raw, out value);
            case TimeOnly t:
                return Ok(FeelValue.FromTime(t), out value);
            case TimeSpan span:
                return Ok(FeelValue.FromDuration(span), out value);
            case YearsMonthsDuration months:
                return Ok(FeelValue.FromDuration(months), out value);
        }

        if (IsNumeric(raw))
        {
            return ToNumber(raw, out value);
        }

        value = FeelValue.Null;
        return $"has a type the decision engine cannot use ({raw.GetType().Name}); pass a string, number, boolean, date, time or duration";
    }

    private static string? ToNumber(object raw, out FeelValue value)
    {
        value = FeelValue.Null;
        switch (raw)
        {
            case decimal d:
                return Ok(FeelValue.FromNumber(d), out value);
            case int i:
                return Ok(FeelValue.FromNumber(i), out value);
            case long l:
                return Ok(FeelValue.FromNumber(l), out value);
            case double or float:
            {
                var d = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d) || Math.Abs(d) > (double)decimal.MaxValue)
                {
                    return Expected("a finite number", raw);
                }

                // Through the shortest round-trip text, so 0.1d becomes 0.1m rather than 0.1000000000000000055...
                return Ok(FeelValue.FromNumber(decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture)), out value);
            }

            case string s when decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var parsed):
                return Ok(FeelValue.FromNumber(parsed), out value);
        }

        return IsNumeric(raw) ? Ok(FeelValue.FromNumber(Convert.ToDecimal(raw, CultureInfo.InvariantCulture)), out value) : Expected("a number", raw);
    }

    private static string? ToBoolean(object raw, out FeelValue value)
    {
        value = FeelValue.Null;
        return raw switch
        {
            bool b => Ok(FeelValue.FromBoolean(b), out value),
            string s when bool.TryParse(s.Trim(), out var parsed) => Ok(FeelValue.FromBoolean(parsed), out value),
            _ => Expected("a boolean (true or false)", raw),
        };
    }

    private static string? ToDate(object raw, out FeelValue value)
    {
        value = FeelValue.Null;
        return raw switch
        {
            DateOnly d => Ok(FeelValue.FromDate(d), out value),
            DateTime d => Ok(FeelValue.FromDate(DateOnly.FromDateTime(d)), out value),
            DateTimeOffset d => Ok(FeelValue.FromDate(DateOnly.FromDateTime(d.DateTime)), out value),
            string s when FeelTemporal.TryParseDate(s, out var parsed) => Ok(FeelValue.FromDate(parsed), out value),
            _ => Expected("a date (yyyy-MM-dd)", raw),
        };
    }

    private static string? ToDateTime(object raw, out FeelValue value)
    {
        value = FeelValue.Null;
        return raw switch
        {
            DateTimeOffset d => Ok(FeelValue.FromDateTime(d), out value),
            // An unspecified DateTime is taken as UTC, the same rule as for ISO text without an offset.
            DateTime d => Ok(FeelValue.FromDateTime(d.Kind == DateTimeKind.Local ? new DateTimeOffset(d) : new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))), out value),
            DateOnly d => Ok(FeelValue.FromDateTime(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)), out value),
            string s when FeelTemporal.TryParseDateTime(s, out var parsed) => Ok(FeelValue.FromDateTime(parsed), out value),
            _ => Expected("a date and time (ISO-8601, e.g. 2026-01-31T09:30:00Z)", raw),
        };
    }

    private static string? ToTime(object raw, out FeelValue value)
    {
        value = FeelValue.Null;
        return raw switch
        {
            TimeOnly t => Ok(FeelValue.FromTime(t), out value),
            string s when FeelTemporal.TryParseTime(s, out var parsed) => Ok(FeelValue.FromTime(parsed), out value),
            _ => Expected("a time (HH:mm:ss)", raw),
        };
    }

    private static string? ToDuration(object raw, FeelType type, out FeelValue value)
    {
        value = FeelValue.Null;
        var candidate = raw switch
        {
            TimeSpan span => FeelValue.FromDuration(span),
            YearsMonthsDuration months => FeelValue.FromDuration(months),
            string s when FeelTemporal.TryParseDuration(s, out var parsed, out _) => FeelValue.FromClr(parsed),
            _ => FeelValue.Null,
        };
        return !candidate.IsNull && Matches(candidate.Kind, type) ? Ok(candidate, out value) : Expected(Describe(type), raw);
    }
}
