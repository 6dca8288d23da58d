using System.Globalization;

namespace AgentConsole.Engine.DecisionTables;

internal enum FeelKind : byte
{
    Null,
    Boolean,
    Number,
    String,
    Date,
    DateTime,
    Time,
    DaysTimeDuration,
    YearsMonthsDuration,
    /// <summary>A FEEL list; <see cref="FeelValue.Ref"/> holds a <see cref="FeelValue"/> array that is never changed.</summary>
    List,
    /// <summary>A FEEL context (a record, e.g. an item definition's components); <see cref="FeelValue.Ref"/> holds a <see cref="FeelContext"/>.</summary>
    Context,
    /// <summary>A value the engine passes through but cannot compute with, e.g. a multi-output decision's context.</summary>
    Other,
}

/// <summary>Three-valued logic result: FEEL tests and comparisons may be true, false or null.</summary>
internal enum Tri : byte
{
    False,
    True,
    Null,
}

/// <summary>
/// One FEEL value without boxing: numbers stay in <see cref="Number"/>, temporal values are reduced to a comparable
/// 64-bit key in <see cref="Bits"/> (day number, UTC ticks, ticks or months), strings and originals live in <see cref="Ref"/>.
/// </summary>
internal readonly struct FeelValue
{
    public readonly decimal Number;
    public readonly long Bits;
    public readonly object? Ref;
    public readonly FeelKind Kind;

    private FeelValue(FeelKind kind, decimal number = 0m, long bits = 0, object? reference = null)
    {
        Kind = kind;
        Number = number;
        Bits = bits;
        Ref = reference;
    }

    public static readonly FeelValue Null;
    public static readonly FeelValue True = new(FeelKind.Boolean, bits: 1);
    public static readonly FeelValue False = new(FeelKind.Boolean, bits: 0);

    public bool IsNull => Kind == FeelKind.Null;

    public bool Boolean => Bits != 0;

    public string String => (string)Ref!;

    public static FeelValue FromBoolean(bool value) => value ? True : False;

    public static FeelValue FromNumber(decimal value) => new(FeelKind.Number, number: value);

    public static FeelValue FromString(string value) => new(FeelKind.String, reference: value);

    public static FeelValue FromDate(DateOnly value) => new(FeelKind.Date, bits: value.DayNumber);

    public static FeelValue FromDateTime(DateTimeOffset value) => new(FeelKind.DateTime, bits: value.UtcTicks, reference: value);

    public static FeelValue FromTime(TimeOnly value) => new(FeelKind.Time, bits: value.Ticks);

    public static FeelValue FromDuration(TimeSpan value) => new(FeelKind.DaysTimeDuration, bits: value.Ticks);

    public static FeelValue FromDuration(YearsMonthsDuration value) => new(FeelKind.YearsMonthsDuration, bits: value.TotalMonths);

    public static FeelValue FromOther(object value) => new(FeelKind.Other, reference: value);

    public static FeelValue FromList(FeelValue[] items) => new(FeelKind.List, reference: items);

    public static FeelValue FromContext(FeelContext context) => new(FeelKind.Context, reference: context);

    public FeelValue[] List => (FeelValue[])Ref!;

    public FeelContext Context => (FeelContext)Ref!;

    /// <summary>Wraps a literal from the syntax tree or an already typed CLR value; other types become <see cref="FeelKind.Other"/>.</summary>
    public static FeelValue FromClr(object? value) => value switch
    {
        null => Null,
        bool b => FromBoolean(b),
        decimal d => FromNumber(d),
        string s => FromString(s),
        DateOnly d => FromDate(d),
        DateTimeOffset d => FromDateTime(d),
        TimeOnly t => FromTime(t),
        TimeSpan t => FromDuration(t),
        YearsMonthsDuration m => FromDuration(m),
        int i => FromNumber(i),
        long l => FromNumber(l),
        double x when double.IsFinite(x) => FromNumber((decimal)x),
        IReadOnlyDictionary<string, object?> record => FromContext(FeelContext.FromClr(record)),
        IDictionary<string, object?> record => FromContext(FeelContext.FromClr(record)),
        System.Collections.IEnumerable items => FromList([.. items.Cast<object?>().Select(FromClr)]),
        _ => FromOther(value),
    };

    public object? ToClr() => Kind switch
    {
        FeelKind.Null => null,
        FeelKind.Boolean => Boolean,
        FeelKind.Number => Number,
        FeelKind.String => Ref,
        FeelKind.Date => DateOnly.FromDayNumber((int)Bits),
        FeelKind.DateTime => Ref,
        FeelKind.Time => new TimeOnly(Bits),
        FeelKind.DaysTimeDuration => new TimeSpan(Bits),
        FeelKind.YearsMonthsDuration => new YearsMonthsDuration((int)Bits),
        FeelKind.List => List.Select(static v => v.ToClr()).ToList(),
        FeelKind.Context => Context.ToClr(),
        _ => Ref,
    };

    public static string KindName(FeelKind kind) => kind switch
    {
        FeelKind.Null => "null",
        FeelKind.Boolean => "boolean",
        FeelKind.Number => "number",
        FeelKind.String => "string",
        FeelKind.Date => "date",
        FeelKind.DateTime => "date and time",
        FeelKind.Time => "time",
        FeelKind.DaysTimeDuration => "days and time duration",
        FeelKind.YearsMonthsDuration => "years and months duration",
        FeelKind.List => "list",
        FeelKind.Context => "context",
        _ => "structured value",
    };

    /// <summary>How the value reads in FEEL, for messages.</summary>
    public override string ToString() => Kind switch
    {
        FeelKind.Null => "null",
        FeelKind.Boolean => Boolean ? "true" : "false",
        FeelKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        FeelKind.String => $"\"{Ref}\"",
        FeelKind.Date => $"date(\"{FeelTemporal.FormatDate(DateOnly.FromDayNumber((int)Bits))}\")",
        FeelKind.DateTime => $"date and time(\"{FeelTemporal.FormatDateTime((DateTimeOffset)Ref!)}\")",
        FeelKind.Time => $"time(\"{FeelTemporal.FormatTime(new TimeOnly(Bits))}\")",
        FeelKind.DaysTimeDuration => $"duration(\"{FeelTemporal.FormatDuration(new TimeSpan(Bits))}\")",
        FeelKind.YearsMonthsDuration => $"duration(\"{new YearsMonthsDuration((int)Bits)}\")",
        FeelKind.List => "[" + string.Join(", ", List.Select(static v => v.ToString())) + "]",
        FeelKind.Context => Context.ToString(),
        _ => Ref?.ToString() ?? "?",
    };
}

/// <summary>FEEL semantics: null propagation, three-valued logic, comparisons only between values of one type.</summary>
internal static class FeelOps
{
    public static Tri Equal(in FeelValue a, in FeelValue b)
    {
        if (a.Kind == FeelKind.Null || b.Kind == FeelKind.Null)
        {
            return a.Kind == b.Kind ? Tri.True : Tri.False;
        }

        if (a.Kind != b.Kind)
        {
            return Tri.Null;
        }

        return a.Kind switch
        {
            FeelKind.Number => a.Number == b.Number ? Tri.True : Tri.False,
            FeelKind.String => string.Equals((string)a.Ref!, (string)b.Ref!, StringComparison.Ordinal) ? Tri.True : Tri.False,
            FeelKind.List => ListsEqual(a.List, b.List),
            FeelKind.Context => ContextsEqual(a.Context, b.Context),
            FeelKind.Other => Equals(a.Ref, b.Ref) ? Tri.True : Tri.False,
            _ => a.Bits == b.Bits ? Tri.True : Tri.False,
        };
    }

    private static Tri ListsEqual(FeelValue[] a, FeelValue[] b)
    {
        if (a.Length != b.Length)
        {
            return Tri.False;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var same = Equal(a[i], b[i]);
            if (same != Tri.True)
            {
                return same;
            }
        }

        return Tri.True;
    }

    private static Tri ContextsEqual(FeelContext a, FeelContext b)
    {
        if (a.Count != b.Count)
        {
            return Tri.False;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!b.TryGet(a.Keys[i], out var other))
            {
                return Tri.False;
            }

            var same = Equal(a.Values[i], other);
            if (same != Tri.True)
            {
                return same;
            }
        }

        return Tri.True;
    }

    /// <summary>True when the list holds a value equal to <paramref name="value"/> (null matches null).</summary>
    public static Tri Contains(FeelValue[] list, in FeelValue value)
    {
        foreach (var item in list)
        {
            if (Equal(item, value) == Tri.True)
            {
                return Tri.True;
            }
        }

        return Tri.False;
    }

    /// <summary>Orders two values of the same ordered type; null when either is null, the types differ or the type has no order.</summary>
    public static int? Compare(in FeelValue a, in FeelValue b)
    {
        if (a.Kind != b.Kind || a.Kind is FeelKind.Null or FeelKind.Boolean or FeelKind.Other or FeelKind.List or FeelKind.Context)
        {
            return null;
        }

        return a.Kind switch
        {
            FeelKind.Number => a.Number.CompareTo(b.Number),
            FeelKind.String => string.CompareOrdinal((string)a.Ref!, (string)b.Ref!),
            _ => a.Bits.CompareTo(b.Bits),
        };
    }

    public static Tri Not(Tri value) => value switch
    {
        Tri.True => Tri.False,
        Tri.False => Tri.True,
        _ => Tri.Null,
    };

    public static Tri ToTri(in FeelValue value) => value.Kind == FeelKind.Boolean ? (value.Boolean ? Tri.True : Tri.False) : Tri.Null;

    public static FeelValue FromTri(Tri value) => value switch
    {
        Tri.True => FeelValue.True,
        Tri.False => FeelValue.False,
        _ => FeelValue.Null,
    };

    public static FeelValue Binary(FeelBinaryOperator op, in FeelValue a, in FeelValue b)
    {
        switch (op)
        {
            case FeelBinaryOperator.And:
            {
                var (x, y) = (ToTri(a), ToTri(b));
                return FromTri(x == Tri.False || y == Tri.False ? Tri.False : x == Tri.True && y == Tri.True ? Tri.True : Tri.Null);
            }

            case FeelBinaryOperator.Or:
            {
                var (x, y) = (ToTri(a), ToTri(b));
                return FromTri(x == Tri.True || y == Tri.True ? Tri.True : x == Tri.False && y == Tri.False ? Tri.False : Tri.Null);
            }

            case FeelBinaryOperator.Equal:
                return FromTri(Equal(a, b));
            case FeelBinaryOperator.NotEqual:
                return FromTri(Not(Equal(a, b)));
            case FeelBinaryOperator.Less:
                return Compare(a, b) is { } lt ? FeelValue.FromBoolean(lt < 0) : FeelValue.Null;
            case FeelBinaryOperator.LessOrEqual:
                return Compare(a, b) is { } le ? FeelValue.FromBoolean(le <= 0) : FeelValue.Null;
            case FeelBinaryOperator.Greater:
                return Compare(a, b) is { } gt ? FeelValue.FromBoolean(gt > 0) : FeelValue.Null;
            case FeelBinaryOperator.GreaterOrEqual:
                return Compare(a, b) is { } ge ? FeelValue.FromBoolean(ge >= 0) : FeelValue.Null;
        }

        if (a.Kind == FeelKind.Null || b.Kind == FeelKind.Null)
        {
            return FeelValue.Null;
        }

        try
        {
            return Arithmetic(op, a, b);
        }
        catch (OverflowException)
        {
            return FeelValue.Null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return FeelValue.Null;
        }
    }

    private static FeelValue Arithmetic(FeelBinaryOperator op, in FeelValue a, in FeelValue b)
    {
        switch (op, a.Kind, b.Kind)
        {
            case (FeelBinaryOperator.Add, FeelKind.Number, FeelKind.Number):
                return FeelValue.FromNumber(a.Number + b.Number);
            case (FeelBinaryOperator.Subtract, FeelKind.Number, FeelKind.Number):
                return FeelValue.FromNumber(a.Number - b.Number);
            case (FeelBinaryOperator.Multiply, FeelKind.Number, FeelKind.Number):
                return FeelValue.FromNumber(a.Number * b.Number);
            case (FeelBinaryOperator.Divide, FeelKind.Number, FeelKind.Number):
                return b.Number == 0m ? FeelValue.Null : FeelValue.FromNumber(a.Number / b.Number);
            case (FeelBinaryOperator.Power, FeelKind.Number, FeelKind.Number):
                return Power(a.Number, b.Number);
            case (FeelBinaryOperator.Add, FeelKind.String, FeelKind.String):
                return FeelValue.FromString(a.String + b.String);

            case (FeelBinaryOperator.Add, FeelKind.DaysTimeDuration, FeelKind.DaysTimeDuration):
                return FeelValue.FromDuration(new TimeSpan(checked(a.Bits + b.Bits)));
            case (FeelBinaryOperator.Subtract, FeelKind.DaysTimeDuration, FeelKind.DaysTimeDuration):
                return FeelValue.FromDuration(new TimeSpan(checked(a.Bits - b.Bits)));
            case (FeelBinaryOperator.Add, FeelKind.YearsMonthsDuration, FeelKind.YearsMonthsDuration):
                return FeelValue.FromDuration(new YearsMonthsDuration(checked((int)(a.Bits + b.Bits))));
            case (FeelBinaryOperator.Subtract, FeelKind.YearsMonthsDuration, FeelKind.YearsMonthsDuration):
                return FeelValue.FromDuration(new YearsMonthsDuration(checked((int)(a.Bits - b.Bits))));
            case (FeelBinaryOperator.Multiply, FeelKind.DaysTimeDuration, FeelKind.Number):
                return FeelValue.FromDuration(new TimeSpan((long)(a.Bits * b.Number)));
            case (FeelBinaryOperator.Multiply, FeelKind.Number, FeelKind.DaysTimeDuration):
                return FeelValue.FromDuration(new TimeSpan((long)(b.Bits * a.Number)));
            case (FeelBinaryOperator.Multiply, FeelKind.YearsMonthsDuration, FeelKind.Number):
                return FeelValue.FromDuration(new YearsMonthsDuration((int)decimal.Truncate(a.Bits * b.Number)));
            case (FeelBinaryOperator.Multiply, FeelKind.Number, FeelKind.YearsMonthsDuration):
                return FeelValue.FromDuration(new YearsMonthsDuration((int)decimal.Truncate(b.Bits * a.Number)));
            case (FeelBinaryOperator.Divide, FeelKind.DaysTimeDuration, FeelKind.Number):
                return b.Number == 0m ? FeelValue.Null : FeelValue.FromDuration(new TimeSpan((long)(a.Bits / b.Number)));
            case (FeelBinaryOperator.Divide, FeelKind.YearsMonthsDuration, FeelKind.Number):
                return b.Number == 0m ? FeelValue.Null : FeelValue.FromDuration(new YearsMonthsDuration((int)decimal.Truncate(a.Bits / b.Number)));
            case (FeelBinaryOperator.Divide, FeelKind.DaysTimeDuration, FeelKind.DaysTimeDuration):
                return b.Bits == 0 ? FeelValue.Null : FeelValue.FromNumber((decimal)a.Bits / b.Bits);
            case (FeelBinaryOperator.Divide, FeelKind.YearsMonthsDuration, FeelKind.YearsMonthsDuration):
                return b.Bits == 0 ? FeelValue.Null : FeelValue.FromNumber((decimal)a.Bits / b.Bits);

            case (FeelBinaryOperator.Subtract, FeelKind.Date, FeelKind.Date):
                return FeelValue.FromDuration(TimeSpan.FromDays(a.Bits - b.Bits));
            case (FeelBinaryOperator.Subtract, FeelKind.DateTime, FeelKind.DateTime):
                return FeelValue.FromDuration(new TimeSpan(a.Bits - b.Bits));
            case (FeelBinaryOperator.Subtract, FeelKind.Time, FeelKind.Time):
                return FeelValue.FromDuration(new TimeSpan(a.Bits - b.Bits));
            case (FeelBinaryOperator.Add or FeelBinaryOperator.Subtract, FeelKind.Date or FeelKind.DateTime or FeelKind.Time,
                FeelKind.DaysTimeDuration or FeelKind.YearsMonthsDuration):
                return Shift(a, b, op == FeelBinaryOperator.Subtract);
            case (FeelBinaryOperator.Add, FeelKind.DaysTimeDuration or FeelKind.YearsMonthsDuration, FeelKind.Date or FeelKind.DateTime or FeelKind.Time):
                return Shift(b, a, negate: false);
            default:
                return FeelValue.Null;
        }
    }

    private static FeelValue Shift(in FeelValue when, in FeelValue duration, bool negate)
    {
        var sign = negate ? -1 : 1;
        switch (when.Kind)
        {
            case FeelKind.Date:
            {
                var date = DateOnly.FromDayNumber((int)when.Bits);
                if (duration.Kind == FeelKind.YearsMonthsDuration)
                {
                    return FeelValue.FromDate(date.AddMonths(sign * (int)duration.Bits));
                }

                // FEEL computes from midnight and keeps the result a date: date("2026-01-31") + duration("P1D") is 2026-02-01.
                var shifted = date.ToDateTime(TimeOnly.MinValue).AddTicks(sign * duration.Bits);
                return FeelValue.FromDate(DateOnly.FromDateTime(shifted));
            }

            case FeelKind.DateTime:
            {
                var value = (DateTimeOffset)when.Ref!;
                return FeelValue.FromDateTime(duration.Kind == FeelKind.YearsMonthsDuration
                    ? value.AddMonths(sign * (int)duration.Bits)
                    : value.AddTicks(sign * duration.Bits));
            }

            default:
                return duration.Kind == FeelKind.DaysTimeDuration
                    ? FeelValue.FromTime(new TimeOnly(when.Bits).Add(new TimeSpan(sign * duration.Bits)))
                    : FeelValue.Null;
        }
    }

    private static FeelValue Power(decimal x, decimal y)
    {
        if (y == decimal.Truncate(y) && Math.Abs(y) <= 1000m)
        {
            var n = (int)Math.Abs(y);
            var result = 1m;
            var factor = x;
            while (n > 0)
            {
                if ((n & 1) == 1)
                {
                    result *= factor;
                }

                n >>= 1;
                if (n > 0)
                {
                    factor *= factor;
                }
            }

            return y < 0 ? (result == 0m ? FeelValue.Null : FeelValue.FromNumber(1m / result)) : FeelValue.FromNumber(result);
        }

        var value = Math.Pow((double)x, (double)y);
        return double.IsFinite(value) ? FeelValue.FromNumber((decimal)value) : FeelValue.Null;
    }

    public static FeelValue Negate(in FeelValue value) => value.Kind switch
    {
        FeelKind.Number => FeelValue.FromNumber(-value.Number),
        FeelKind.DaysTimeDuration => FeelValue.FromDuration(new TimeSpan(-value.Bits)),
        FeelKind.YearsMonthsDuration => FeelValue.FromDuration(new YearsMonthsDuration(-(int)value.Bits)),
        _ => FeelValue.Null,
    };
}
