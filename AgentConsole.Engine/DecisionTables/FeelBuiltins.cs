using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// FEEL's built-in functions (DMN 1.3 §10.3.4): conversions, strings, lists, numbers, contexts. A function given
/// arguments of the wrong type returns null, as FEEL requires; none of them throws.
/// </summary>
internal static class FeelBuiltins
{
    private const int Many = int.MaxValue;

    private static readonly Dictionary<string, FeelBuiltin> All = Build();

    public static bool TryGet(string name, out FeelBuiltin builtin) => All.TryGetValue(name, out builtin!);

    public static IEnumerable<string> Names => All.Keys;

    /// <summary>True for a built-in whose result depends only on its arguments (all of them: FEEL has no clock here).</summary>
    public static bool IsPure(string name) => All.ContainsKey(name);

    public static FeelValue Safely(Func<FeelValue[], FeelValue> apply, FeelValue[] arguments)
    {
        try
        {
            var result = apply(arguments);

            // append, concatenate, flatten... build lists: their size counts against the evaluation's budget.
            return result.Kind == FeelKind.List && !FeelBudget.Spend(result.List.Length) ? FeelValue.Null : result;
        }
        catch (Exception e) when (e is OverflowException or ArgumentException or InvalidCastException or RegexMatchTimeoutException or FormatException)
        {
            return FeelValue.Null;
        }
    }

    private static Dictionary<string, FeelBuiltin> Build()
    {
        var f = new Dictionary<string, FeelBuiltin>(StringComparer.Ordinal);
        void Add(string name, string[] parameters, int min, int max, Func<FeelValue[], FeelValue> apply) => f[name] = new FeelBuiltin(parameters, min, max, apply);

        // Conversions.
        Add("date", ["from"], 1, 3, Date);
        Add("time", ["from"], 1, 4, Time);
        Add(FeelLexer.DateAndTime, ["from"], 1, 2, DateAndTime);
        Add("duration", ["from"], 1, 1, a => Convert("duration", a[0]));
        Add("years and months duration", ["from", "to"], 2, 2, YearsAndMonths);
        Add("number", ["from", "grouping separator", "decimal separator"], 1, 3, Number);
        Add("string", ["from"], 1, 1, a => a[0].IsNull ? FeelValue.Null : FeelValue.FromString(a[0].Kind == FeelKind.String ? a[0].String : a[0].ToString()));

        // Strings.
        Add("substring", ["string", "start position", "length"], 2, 3, Substring);
        Add("string length", ["string"], 1, 1, a => Str(a[0]) is { } s ? Num(s.EnumerateRunes().Count()) : FeelValue.Null);
        Add("upper case", ["string"], 1, 1, a => Str(a[0]) is { } s ? FeelValue.FromString(s.ToUpperInvariant()) : FeelValue.Null);
        Add("lower case", ["string"], 1, 1, a => Str(a[0]) is { } s ? FeelValue.FromString(s.ToLowerInvariant()) : FeelValue.Null);
        Add("substring before", ["string", "match"], 2, 2, a => Str(a[0]) is { } s && Str(a[1]) is { } m
            ? FeelValue.FromString(s.IndexOf(m, StringComparison.Ordinal) is var i and >= 0 ? s[..i] : "") : FeelValue.Null);
        Add("substring after", ["string", "match"], 2, 2, a => Str(a[0]) is { } s && Str(a[1]) is { } m
            ? FeelValue.FromString(s.IndexOf(m, StringComparison.Ordinal) is var i and >= 0 ? s[(i + m.Length)..] : "") : FeelValue.Null);
        Add("contains", ["string", "match"], 2, 2, a => Str(a[0]) is { } s && Str(a[1]) is { } m ? Bool(s.Contains(m, StringComparison.Ordinal)) : FeelValue.Null);
        Add("starts with", ["string", "match"], 2, 2, a => Str(a[0]) is { } s && Str(a[1]) is { } m ? Bool(s.StartsWith(m, StringComparison.Ordinal)) : FeelValue.Null);
        Add("ends with", ["string", "match"], 2, 2, a => Str(a[0]) is { } s && Str(a[1]) is { } m ? Bool(s.EndsWith(m, StringComparison.Ordinal)) : FeelValue.Null);
        Add("matches", ["input", "pattern", "flags"], 2, 3, a => Str(a[0]) is { } s && Pattern(a[1], a.Length > 2 ? a[2] : FeelValue.Null) is { } r
            ? Bool(r.IsMatch(s)) : FeelValue.Null);
        Add("replace", ["input", "pattern", "replacement", "flags"], 3, 4, a => Str(a[0]) is { } s && Pattern(a[1], a.Length > 3 ? a[3] : FeelValue.Null) is { } r
            && Str(a[2]) is { } with ? FeelValue.FromString(r.Replace(s, with.Replace("$0", "$&", StringComparison.Ordinal))) : FeelValue.Null);
        Add("split", ["string", "delimiter"], 2, 2, a => Str(a[0]) is { } s && Pattern(a[1], FeelValue.Null) is { } r
            ? FeelValue.FromList([.. r.Split(s).Select(FeelValue.FromString)]) : FeelValue.Null);
        Add("string join", ["list", "delimiter"], 1, 2, StringJoin);

        // Lists.
        Add("list contains", ["list", "element"], 2, 2, a => a[0].Kind == FeelKind.List ? FeelOps.FromTri(FeelOps.Contains(a[0].List, a[1])) : FeelValue.Null);
        Add("count", ["list"], 1, 1, a => a[0].Kind == FeelKind.List ? Num(a[0].List.Length) : FeelValue.Null);
        Add("min", ["list"], 1, Many, a => Extreme(Items(a), -1));
        Add("max", ["list"], 1, Many, a => Extreme(Items(a), 1));
        Add("sum", ["list"], 1, Many, a => Sum(Items(a)));
        Add("product", ["list"], 1, Many, a => Product(Items(a)));
        Add("mean", ["list"], 1, Many, a => Numbers(Items(a)) is { Length: > 0 } n ? Num(n.Sum() / n.Length) : FeelValue.Null);
        Add("median", ["list"], 1, Many, a => Median(Items(a)));
        Add("stddev", ["list"], 1, Many, a => StdDev(Items(a)));
        Add("mode", ["list"], 1, Many, a => Mode(Items(a)));
        Add("all", ["list"], 1, Many, a => All3(Items(a), every: true));
        Add("any", ["list"], 1, Many, a => All3(Items(a), every: false));
        Add("sublist", ["list", "start position", "length"], 2, 3, Sublist);
        Add("append", ["list", "item"], 1, Many, a => a[0].Kind == FeelKind.List ? FeelValue.FromList([.. a[0].List, .. a[1..]]) : FeelValue.Null);
        Add("concatenate", ["list"], 1, Many, a => a.All(x => x.Kind == FeelKind.List) ? FeelValue.FromList([.. a.SelectMany(x => x.List)]) : FeelValue.Null);
        Add("insert before", ["list", "position", "newItem"], 3, 3, InsertBefore);
        Add("remove", ["list", "position"], 2, 2, Remove);
        Add("reverse", ["list"], 1, 1, a => a[0].Kind == FeelKind.List ? FeelValue.FromList([.. a[0].List.Reverse()]) : FeelValue.Null);
        Add("index of", ["list", "match"], 2, 2, a => a[0].Kind == FeelKind.List
            ? FeelValue.FromList([.. a[0].List.Select((v, i) => (v, i)).Where(x => FeelOps.Equal(x.v, a[1]) == Tri.True).Select(x => Num(x.i + 1))])
            : FeelValue.Null);
        Add("union", ["list"], 1, Many, a => a.All(x => x.Kind == FeelKind.List) ? FeelValue.FromList(Distinct(a.SelectMany(x => x.List))) : FeelValue.Null);
        Add("distinct values", ["list"], 1, 1, a => a[0].Kind == FeelKind.List ? FeelValue.FromList(Distinct(a[0].List)) : FeelValue.Null);
        Add("flatten", ["list"], 1, 1, a => a[0].Kind == FeelKind.List ? FeelValue.FromList([.. Flatten(a[0].List)]) : FeelValue.Null);
        Add("range of", ["start", "end"], 2, 2, RangeOf);

        // Numbers.
        Add("decimal", ["n", "scale"], 2, 2, a => Round(a, MidpointRounding.ToEven));
        Add("round half up", ["n", "scale"], 2, 2, a => Round(a, MidpointRounding.AwayFromZero));
        Add("round half down", ["n", "scale"], 2, 2, HalfDown);
        Add("round up", ["n", "scale"], 2, 2, a => Directed(a, up: true));
        Add("round down", ["n", "scale"], 2, 2, a => Directed(a, up: false));
        Add("floor", ["n", "scale"], 1, 2, a => a.Length == 1 ? Unary(a[0], decimal.Floor) : Round(a, MidpointRounding.ToNegativeInfinity));
        Add("ceiling", ["n", "scale"], 1, 2, a => a.Length == 1 ? Unary(a[0], decimal.Ceiling) : Round(a, MidpointRounding.ToPositiveInfinity));
        Add("abs", ["n"], 1, 1, a => a[0].Kind switch
        {
            FeelKind.Number => Num(Math.Abs(a[0].Number)),
            FeelKind.DaysTimeDuration => FeelValue.FromDuration(new TimeSpan(Math.Abs(a[0].Bits))),
            FeelKind.YearsMonthsDuration => FeelValue.FromDuration(new YearsMonthsDuration((int)Math.Abs(a[0].Bits))),
            _ => FeelValue.Null,
        });
        Add("modulo", ["dividend", "divisor"], 2, 2, a => a[0].Kind == FeelKind.Number && a[1].Kind == FeelKind.Number && a[1].Number != 0
            ? Num(a[0].Number - (a[1].Number * decimal.Floor(a[0].Number / a[1].Number))) : FeelValue.Null);
        Add("sqrt", ["number"], 1, 1, a => a[0].Kind == FeelKind.Number && a[0].Number >= 0 ? Dbl(Math.Sqrt((double)a[0].Number)) : FeelValue.Null);
        Add("log", ["number"], 1, 1, a => a[0].Kind == FeelKind.Number && a[0].Number > 0 ? Dbl(Math.Log((double)a[0].Number)) : FeelValue.Null);
        Add("exp", ["number"], 1, 1, a => a[0].Kind == FeelKind.Number ? Dbl(Math.Exp((double)a[0].Number)) : FeelValue.Null);
        Add("odd", ["number"], 1, 1, a => a[0].Kind == FeelKind.Number && a[0].Number == decimal.Truncate(a[0].Number) ? Bool(a[0].Number % 2 != 0) : FeelValue.Null);
        Add("even", ["number"], 1, 1, a => a[0].Kind == FeelKind.Number && a[0].Number == decimal.Truncate(a[0].Number) ? Bool(a[0].Number % 2 == 0) : FeelValue.Null);

        // Contexts.
        Add("get value", ["m", "key"], 2, 2, a => a[0].Kind == FeelKind.Context && Str(a[1]) is { } k && a[0].Context.TryGet(k, out var v) ? v : FeelValue.Null);
        Add("get entries", ["m"], 1, 1, a => a[0].Kind == FeelKind.Context
            ? FeelValue.FromList([.. a[0].Context.Keys.Select((k, i) => FeelValue.FromContext(new FeelContext(["key", "value"], [FeelValue.FromString(k), a[0].Context.Values[i]])))])
            : FeelValue.Null);
        Add("context put", ["context", "key", "value"], 3, 3, a => a[0].Kind == FeelKind.Context && Str(a[1]) is { } k
            ? FeelValue.FromContext(a[0].Context.With(k, a[2])) : FeelValue.Null);
        return f;
    }

    private static FeelValue Num(decimal value) => FeelValue.FromNumber(value);

    private static FeelValue Dbl(double value) => double.IsFinite(value) ? FeelValue.FromNumber((decimal)value) : FeelValue.Null;

    private static FeelValue Bool(bool value) => FeelValue.FromBoolean(value);

    // FEEL 1.3 reads a list of one as its item where a single value is expected: upper case(Employees[name = "Bob"]).
    private static string? Str(in FeelValue value) => value.Kind switch
    {
        FeelKind.String => value.String,
        FeelKind.List when value.List is [{ Kind: FeelKind.String } only] => only.String,
        _ => null,
    };

    private static FeelValue Unary(in FeelValue value, Func<decimal, decimal> apply) => value.Kind == FeelKind.Number ? Num(apply(value.Number)) : FeelValue.Null;

    /// <summary>Aggregates take one list or the values themselves: max([1, 2]) and max(1, 2).</summary>
    private static FeelValue[] Items(FeelValue[] arguments) => arguments is [{ Kind: FeelKind.List } list] ? list.List : arguments;

    private static decimal[]? Numbers(FeelValue[] items) => items.All(i => i.Kind == FeelKind.Number) ? [.. items.Select(i => i.Number)] : null;

    private static FeelValue Convert(string function, in FeelValue value) => value.Kind switch
    {
        FeelKind.String => FeelConversions.TryConvert(function, value.String, out var converted) is null ? FeelValue.FromClr(converted) : FeelValue.Null,
        FeelKind.DaysTimeDuration or FeelKind.YearsMonthsDuration when function == "duration" => value,
        _ => FeelValue.Null,
    };

    private static FeelValue Date(FeelValue[] a)
    {
        if (a.Length == 3)
        {
            return a.All(x => x.Kind == FeelKind.Number) ? FeelValue.FromDate(new DateOnly((int)a[0].Number, (int)a[1].Number, (int)a[2].Number)) : FeelValue.Null;
        }

        return a.Length != 1 ? FeelValue.Null : a[0].Kind switch
        {
            FeelKind.Date => a[0],
            FeelKind.DateTime => FeelValue.FromDate(DateOnly.FromDateTime(((DateTimeOffset)a[0].Ref!).DateTime)),
            _ => Convert("date", a[0]),
        };
    }

    private static FeelValue Time(FeelValue[] a)
    {
        if (a.Length >= 3)
        {
            if (!a[..3].All(x => x.Kind == FeelKind.Number))
            {
                return FeelValue.Null;
            }

            var seconds = a[2].Number;
            return FeelValue.FromTime(new TimeOnly((int)a[0].Number, (int)a[1].Number).Add(TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond))));
        }

        return a.Length != 1 ? FeelValue.Null : a[0].Kind switch
        {
            FeelKind.Time => a[0],
            FeelKind.DateTime => FeelValue.FromTime(TimeOnly.FromDateTime(((DateTimeOffset)a[0].Ref!).DateTime)),
            FeelKind.Date => FeelValue.FromTime(TimeOnly.MinValue),
            _ => Convert("time", a[0]),
        };
    }

    private static FeelValue DateAndTime(FeelValue[] a)
    {
        if (a.Length == 2)
        {
            if (a[0].Kind is not (FeelKind.Date or FeelKind.DateTime) || a[1].Kind != FeelKind.Time)
            {
                return FeelValue.Null;
            }

            var date = a[0].Kind == FeelKind.Date ? DateOnly.FromDayNumber((int)a[0].Bits) : DateOnly.FromDateTime(((DateTimeOffset)a[0].Ref!).DateTime);
            return FeelValue.FromDateTime(new DateTimeOffset(date.ToDateTime(new TimeOnly(a[1].Bits)), TimeSpan.Zero));
        }

        return a[0].Kind switch
        {
            FeelKind.DateTime => a[0],
            FeelKind.Date => FeelValue.FromDateTime(new DateTimeOffset(DateOnly.FromDayNumber((int)a[0].Bits).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
            _ => Convert(FeelLexer.DateAndTime, a[0]),
        };
    }

    private static FeelValue YearsAndMonths(FeelValue[] a)
    {
        static DateOnly? Day(in FeelValue v) => v.Kind switch
        {
            FeelKind.Date => DateOnly.FromDayNumber((int)v.Bits),
            FeelKind.DateTime => DateOnly.FromDateTime(((DateTimeOffset)v.Ref!).DateTime),
            _ => null,
        };

        if (Day(a[0]) is not { } from || Day(a[1]) is not { } to)
        {
            return FeelValue.Null;
        }

        var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
        if (months > 0 && to.Day < from.Day)
        {
            months--;
        }
        else if (months < 0 && to.Day > from.Day)
        {
            months++;
        }

        return FeelValue.FromDuration(new YearsMonthsDuration(months));
    }

    private static FeelValue Number(FeelValue[] a)
    {
        if (Str(a[0]) is not { } text)
        {
            return FeelValue.Null;
        }

        if (a.Length > 1 && Str(a[1]) is { } grouping)
        {
            text = text.Replace(grouping, "", StringComparison.Ordinal);
        }

        if (a.Length > 2 && Str(a[2]) is { } point)
        {
            text = text.Replace(point, ".", StringComparison.Ordinal);
        }

        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? Num(value) : FeelValue.Null;
    }

    private static FeelValue Substring(FeelValue[] a)
    {
        if (Str(a[0]) is not { } s || a[1].Kind != FeelKind.Number)
        {
            return FeelValue.Null;
        }

        var chars = s.EnumerateRunes().Select(r => r.ToString()).ToArray();
        var start = (int)a[1].Number;
        var from = start > 0 ? start - 1 : chars.Length + start;
        if (from < 0 || from > chars.Length)
        {
            return FeelValue.Null;
        }

        var length = a.Length > 2 && a[2].Kind == FeelKind.Number ? (int)a[2].Number : chars.Length - from;
        return FeelValue.FromString(string.Concat(chars.Skip(from).Take(Math.Max(length, 0))));
    }

    private static Regex? Pattern(in FeelValue pattern, in FeelValue flags)
    {
        if (Str(pattern) is not { } p)
        {
            return null;
        }

        var options = RegexOptions.CultureInvariant;
        foreach (var flag in Str(flags) ?? "")
        {
            options |= flag switch
            {
                'i' => RegexOptions.IgnoreCase,
                's' => RegexOptions.Singleline,
                'm' => RegexOptions.Multiline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                _ => RegexOptions.None,
            };
        }

        // A pattern comes from a model author; the timeout keeps a catastrophic one from holding a worker.
        return new Regex(p, options, TimeSpan.FromMilliseconds(100));
    }

    private static FeelValue StringJoin(FeelValue[] a)
    {
        if (a[0].Kind != FeelKind.List || a[0].List.Any(v => v.Kind is not (FeelKind.String or FeelKind.Null)))
        {
            return FeelValue.Null;
        }

        var delimiter = a.Length > 1 ? Str(a[1]) ?? "" : "";
        return FeelValue.FromString(string.Join(delimiter, a[0].List.Where(v => !v.IsNull).Select(v => v.String)));
    }

    private static FeelValue Extreme(FeelValue[] items, int sign)
    {
        if (items.Length == 0)
        {
            return FeelValue.Null;
        }

        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            if (FeelOps.Compare(item, best) is not { } order)
            {
                return FeelValue.Null;
            }

            if (Math.Sign(order) == sign)
            {
                best = item;
            }
        }

        return items.Length == 1 && FeelOps.Compare(best, best) is null ? FeelValue.Null : best;
    }

    private static FeelValue Sum(FeelValue[] items)
    {
        if (items.Length == 0)
        {
            return FeelValue.Null;
        }

        var total = items[0];
        foreach (var item in items.Skip(1))
        {
            total = FeelOps.Binary(FeelBinaryOperator.Add, total, item);
        }

        return total.Kind == items[0].Kind ? total : FeelValue.Null;
    }

    private static FeelValue Product(FeelValue[] items) => Numbers(items) is { Length: > 0 } n ? Num(n.Aggregate(1m, (x, y) => x * y)) : FeelValue.Null;

    private static FeelValue Median(FeelValue[] items)
    {
        if (Numbers(items) is not { Length: > 0 } n)
        {
            return FeelValue.Null;
        }

        Array.Sort(n);
        return Num(n.Length % 2 == 1 ? n[n.Length / 2] : (n[(n.Length / 2) - 1] + n[n.Length / 2]) / 2);
    }

    private static FeelValue StdDev(FeelValue[] items)
    {
        if (Numbers(items) is not { Length: > 1 } n)
        {
            return FeelValue.Null;
        }

        var mean = n.Sum() / n.Length;
        var variance = n.Sum(x => (x - mean) * (x - mean)) / (n.Length - 1);
        return Dbl(Math.Sqrt((double)variance));
    }

    private static FeelValue Mode(FeelValue[] items)
    {
        if (Numbers(items) is not { } n)
        {
            return FeelValue.Null;
        }

        if (n.Length == 0)
        {
            return FeelValue.FromList([]);
        }

        var groups = n.GroupBy(x => x).ToList();
        var top = groups.Max(g => g.Count());
        return FeelValue.FromList([.. groups.Where(g => g.Count() == top).Select(g => g.Key).Order().Select(Num)]);
    }

    private static FeelValue All3(FeelValue[] items, bool every)
    {
        // all: false if any is false, else null if any is not a boolean, else true; any mirrors it.
        var sawOther = false;
        foreach (var item in items)
        {
            if (item.Kind == FeelKind.Boolean)
            {
                if (item.Boolean != every)
                {
                    return Bool(!every);
                }
            }
            else
            {
                sawOther = true;
            }
        }

        return sawOther ? FeelValue.Null : Bool(every);
    }

    private static FeelValue Sublist(FeelValue[] a)
    {
        if (a[0].Kind != FeelKind.List || a[1].Kind != FeelKind.Number)
        {
            return FeelValue.Null;
        }

        var list = a[0].List;
        var start = (int)a[1].Number;
        var from = start > 0 ? start - 1 : list.Length + start;
        if (start == 0 || from < 0 || from >= list.Length)
        {
            return FeelValue.Null;
        }

        var length = a.Length > 2 && a[2].Kind == FeelKind.Number ? (int)a[2].Number : list.Length - from;
        return length < 0 || from + length > list.Length ? FeelValue.Null : FeelValue.FromList(list[from..(from + length)]);
    }

    private static FeelValue InsertBefore(FeelValue[] a)
    {
        if (a[0].Kind != FeelKind.List || a[1].Kind != FeelKind.Number)
        {
            return FeelValue.Null;
        }

        var list = a[0].List.ToList();
        var position = (int)a[1].Number;
        var at = position > 0 ? position - 1 : list.Count + position;
        if (position == 0 || at < 0 || at > list.Count)
        {
            return FeelValue.Null;
        }

        list.Insert(at, a[2]);
        return FeelValue.FromList([.. list]);
    }

    private static FeelValue Remove(FeelValue[] a)
    {
        if (a[0].Kind != FeelKind.List || a[1].Kind != FeelKind.Number)
        {
            return FeelValue.Null;
        }

        var list = a[0].List.ToList();
        var position = (int)a[1].Number;
        var at = position > 0 ? position - 1 : list.Count + position;
        if (position == 0 || at < 0 || at >= list.Count)
        {
            return FeelValue.Null;
        }

        list.RemoveAt(at);
        return FeelValue.FromList([.. list]);
    }

    private static FeelValue[] Distinct(IEnumerable<FeelValue> items)
    {
        var kept = new List<FeelValue>();
        foreach (var item in items)
        {
            if (FeelOps.Contains([.. kept], item) != Tri.True)
            {
                kept.Add(item);
            }
        }

        return [.. kept];
    }

    private static IEnumerable<FeelValue> Flatten(IEnumerable<FeelValue> items)
    {
        foreach (var item in items)
        {
            if (item.Kind == FeelKind.List)
            {
                foreach (var inner in Flatten(item.List))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return item;
            }
        }
    }

    private static FeelValue RangeOf(FeelValue[] a)
    {
        if (a[0].Kind != FeelKind.Number || a[1].Kind != FeelKind.Number || a[0].Number != decimal.Truncate(a[0].Number) || a[1].Number != decimal.Truncate(a[1].Number))
        {
            return FeelValue.Null;
        }

        var (from, to) = ((long)a[0].Number, (long)a[1].Number);
        if (!FeelBudget.Spend(Math.Abs(to - from) + 1))
        {
            return FeelValue.Null;
        }

        var step = to >= from ? 1 : -1;
        var values = new FeelValue[Math.Abs(to - from) + 1];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Num(from + (i * step));
        }

        return FeelValue.FromList(values);
    }

    private static FeelValue Round(FeelValue[] a, MidpointRounding mode)
    {
        if (a[0].Kind != FeelKind.Number || a[1].Kind != FeelKind.Number || a[1].Number != decimal.Truncate(a[1].Number) || a[1].Number is < -28 or > 28)
        {
            return FeelValue.Null;
        }

        var scale = (int)a[1].Number;
        if (scale >= 0)
        {
            return Num(decimal.Round(a[0].Number, scale, mode));
        }

        var factor = (decimal)Math.Pow(10, -scale);
        return Num(decimal.Round(a[0].Number / factor, 0, mode) * factor);
    }

    private static FeelValue HalfDown(FeelValue[] a)
    {
        if (a[0].Kind != FeelKind.Number || a[1].Kind != FeelKind.Number || a[1].Number != decimal.Truncate(a[1].Number) || a[1].Number is < 0 or > 20)
        {
            return FeelValue.Null;
        }

        // Midpoints go towards zero (5.5 → 5, -5.5 → -5); .NET has no such midpoint mode.
        var factor = (decimal)Math.Pow(10, (double)a[1].Number);
        var magnitude = decimal.Ceiling((Math.Abs(a[0].Number) * factor) - 0.5m) / factor;
        return Num(a[0].Number < 0 ? -magnitude : magnitude);
    }

    private static FeelValue Directed(FeelValue[] a, bool up)
    {
        if (a[0].Kind != FeelKind.Number)
        {
            return FeelValue.Null;
        }

        // round up: away from zero; round down: towards zero.
        var positive = a[0].Number >= 0;
        var mode = up == positive ? MidpointRounding.ToPositiveInfinity : MidpointRounding.ToNegativeInfinity;
        return Round(a, mode);
    }
}
