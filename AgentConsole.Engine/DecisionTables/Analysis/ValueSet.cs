using System.Globalization;
using System.Text;

namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>One end of an interval; an infinite end ignores <see cref="Value"/> and <see cref="Included"/>.</summary>
internal readonly record struct Bound(decimal Value, bool Included, bool Infinite)
{
    public static Bound Unbounded => new(0m, false, true);

    public static Bound At(decimal value, bool included) => new(value, included, false);
}

/// <summary>An interval of keys; emptiness and ordering treat infinite ends as -∞ (low) and +∞ (high).</summary>
internal readonly record struct Interval(Bound Low, Bound High)
{
    public static Interval All => new(Bound.Unbounded, Bound.Unbounded);

    public bool IsEmpty => !Low.Infinite && !High.Infinite
        && (Low.Value > High.Value || (Low.Value == High.Value && !(Low.Included && High.Included)));

    public bool Contains(decimal key) =>
        (Low.Infinite || key > Low.Value || (key == Low.Value && Low.Included))
        && (High.Infinite || key < High.Value || (key == High.Value && High.Included));

    /// <summary>Orders low ends: -∞ first; at equal values an included end starts earlier.</summary>
    public static int CompareLow(Bound a, Bound b)
    {
        if (a.Infinite || b.Infinite)
        {
            return a.Infinite == b.Infinite ? 0 : a.Infinite ? -1 : 1;
        }

        var byValue = a.Value.CompareTo(b.Value);
        return byValue != 0 ? byValue : a.Included == b.Included ? 0 : a.Included ? -1 : 1;
    }

    /// <summary>Orders high ends: +∞ last; at equal values an included end reaches further.</summary>
    public static int CompareHigh(Bound a, Bound b)
    {
        if (a.Infinite || b.Infinite)
        {
            return a.Infinite == b.Infinite ? 0 : a.Infinite ? 1 : -1;
        }

        var byValue = a.Value.CompareTo(b.Value);
        return byValue != 0 ? byValue : a.Included == b.Included ? 0 : a.Included ? 1 : -1;
    }
}

/// <summary>
/// An exact set of values of one <see cref="ValueKind"/>, plus whether it holds null:
/// a union of disjoint intervals for ordered kinds, a finite or co-finite set of strings, a subset of {false, true},
/// or, for <see cref="ValueKind.Any"/>, "some non-null value". Immutable; equal sets compare equal (canonical form).
/// </summary>
internal sealed class ValueSet : IEquatable<ValueSet>
{
    private const byte FalseBit = 1;
    private const byte TrueBit = 2;

    private readonly Interval[] _intervals;
    private readonly string[] _strings;
    private readonly bool _coFinite;
    private readonly byte _flags;
    private readonly bool _other;

    private ValueSet(ValueKind kind, bool includesNull, Interval[]? intervals = null, string[]? strings = null, bool coFinite = false, byte flags = 0, bool other = false)
    {
        Kind = kind;
        IncludesNull = includesNull;
        _intervals = intervals ?? [];
        _strings = strings ?? [];
        _coFinite = coFinite;
        _flags = flags;
        _other = other;
    }

    public ValueKind Kind { get; }

    public bool IncludesNull { get; }

    /// <summary>Every value of the kind, and null.</summary>
    public static ValueSet Universe(ValueKind kind) => kind switch
    {
        ValueKind.Text => new(kind, true, coFinite: true),
        ValueKind.Flag => new(kind, true, flags: FalseBit | TrueBit),
        ValueKind.Any => new(kind, true, other: true),
        _ => Ordered(kind, true, [Interval.All]),
    };

    public static ValueSet Empty(ValueKind kind) => new(kind, false);

    public static ValueSet NullOnly(ValueKind kind) => new(kind, true);

    /// <summary>Every non-null value of the kind.</summary>
    public static ValueSet NonNull(ValueKind kind) => Universe(kind).WithNull(false);

    /// <summary>The single value <paramref name="value"/>, which must be of <paramref name="kind"/> or null.</summary>
    public static ValueSet Of(ValueKind kind, object? value) => value switch
    {
        null => NullOnly(kind),
        string s when kind == ValueKind.Text => new(kind, false, strings: [s]),
        bool b when kind == ValueKind.Flag => new(kind, false, flags: b ? TrueBit : FalseBit),
        _ when ValueKinds.IsOrdered(kind) => Range(kind, Bound.At(ValueKinds.Key(kind, value), true), Bound.At(ValueKinds.Key(kind, value), true)),
        _ => throw new ArgumentException($"{value} is not a {ValueKinds.Name(kind)}.", nameof(value)),
    };

    public static ValueSet Range(ValueKind kind, Bound low, Bound high) => Ordered(kind, false, [new Interval(low, high)]);

    public static ValueSet Strings(IEnumerable<string> values) => new(ValueKind.Text, false, strings: Canonical(values));

    public bool IsEmpty => !IncludesNull && IsEmptyWithoutNull;

    private bool IsEmptyWithoutNull => Kind switch
    {
        ValueKind.Text => !_coFinite && _strings.Length == 0,
        ValueKind.Flag => _flags == 0,
        ValueKind.Any => !_other,
        _ => _intervals.Length == 0,
    };

    /// <summary>For ordered kinds: the disjoint intervals in ascending order.</summary>
    public IReadOnlyList<Interval> Intervals => _intervals;

    /// <summary>For strings: true when the set is every string except <see cref="StringList"/>.</summary>
    public bool IsCoFinite => _coFinite;

    /// <summary>For strings: the members (finite set) or the excluded strings (co-finite set), in ordinal order.</summary>
    public IReadOnlyList<string> StringList => _strings;

    public ValueSet WithNull(bool includesNull) =>
        includesNull == IncludesNull ? this : new(Kind, includesNull, _intervals, _strings, _coFinite, _flags, _other);

    public ValueSet Union(ValueSet other)
    {
        Check(other);
        var nulls = IncludesNull || other.IncludesNull;
        return Kind switch
        {
            ValueKind.Text => (_coFinite, other._coFinite) switch
            {
                (false, false) => new(Kind, nulls, strings: Canonical(_strings.Concat(other._strings))),
                (true, true) => new(Kind, nulls, strings: Canonical(_strings.Intersect(other._strings, StringComparer.Ordinal)), coFinite: true),
                (true, false) => new(Kind, nulls, strings: Canonical(_strings.Except(other._strings, StringComparer.Ordinal)), coFinite: true),
                (false, true) => new(Kind, nulls, strings: Canonical(other._strings.Except(_strings, StringComparer.Ordinal)), coFinite: true),
            },
            ValueKind.Flag => new(Kind, nulls, flags: (byte)(_flags | other._flags)),
            ValueKind.Any => new(Kind, nulls, other: _other || other._other),
            _ => Ordered(Kind, nulls, [.. _intervals, .. other._intervals]),
        };
    }

    public ValueSet Intersect(ValueSet other)
    {
        Check(other);
        var nulls = IncludesNull && other.IncludesNull;
        switch (Kind)
        {
            case ValueKind.Text:
                return (_coFinite, other._coFinite) switch
                {
                    (false, false) => new(Kind, nulls, strings: Canonical(_strings.Intersect(other._strings, StringComparer.Ordinal))),
                    (true, true) => new(Kind, nulls, strings: Canonical(_strings.Concat(other._strings)), coFinite: true),
                    (true, false) => new(Kind, nulls, strings: Canonical(other._strings.Except(_strings, StringComparer.Ordinal))),
                    (false, true) => new(Kind, nulls, strings: Canonical(_strings.Except(other._strings, StringComparer.Ordinal))),
                };
            case ValueKind.Flag:
                return new(Kind, nulls, flags: (byte)(_flags & other._flags));
            case ValueKind.Any:
                return new(Kind, nulls, other: _other && other._other);
        }

        var result = new List<Interval>();
        int i = 0, j = 0;
        while (i < _intervals.Length && j < other._intervals.Length)
        {
            var (a, b) = (_intervals[i], other._intervals[j]);
            var low = Interval.CompareLow(a.Low, b.Low) >= 0 ? a.Low : b.Low;
            var high = Interval.CompareHigh(a.High, b.High) <= 0 ? a.High : b.High;
            var piece = new Interval(low, high);
            if (!piece.IsEmpty)
            {
                result.Add(piece);
            }

            if (Interval.CompareHigh(a.High, b.High) <= 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return Ordered(Kind, nulls, result);
    }

    /// <summary>Every value of the kind (null included) that is not in this set.</summary>
    public ValueSet Complement()
    {
        var nulls = !IncludesNull;
        switch (Kind)
        {
            case ValueKind.Text:
                return new(Kind, nulls, strings: _strings, coFinite: !_coFinite);
            case ValueKind.Flag:
                return new(Kind, nulls, flags: (byte)(~_flags & (FalseBit | TrueBit)));
            case ValueKind.Any:
                return new(Kind, nulls, other: !_other);
        }

        var gaps = new List<Interval>();
        var low = Bound.Unbounded;
        var lowOpen = true;
        foreach (var interval in _intervals)
        {
            if (!interval.Low.Infinite)
            {
                gaps.Add(new Interval(lowOpen ? Bound.Unbounded : low, Bound.At(interval.Low.Value, !interval.Low.Included)));
            }

            if (interval.High.Infinite)
            {
                return Ordered(Kind, nulls, gaps);
            }

            low = Bound.At(interval.High.Value, !interval.High.Included);
            lowOpen = false;
        }

        gaps.Add(new Interval(lowOpen ? Bound.Unbounded : low, Bound.Unbounded));
        return Ordered(Kind, nulls, gaps);
    }

    public ValueSet Subtract(ValueSet other) => Intersect(other.Complement());

    public bool IsSubsetOf(ValueSet other) => Subtract(other).IsEmpty;

    public bool Overlaps(ValueSet other) => !Intersect(other).IsEmpty;

    public bool Contains(object? value)
    {
        if (value is null)
        {
            return IncludesNull;
        }

        if (ValueKinds.Of(value) is not { } kind || (kind != Kind && !(Kind == ValueKind.Any && _other)))
        {
            return false;
        }

        return Kind switch
        {
            ValueKind.Any => true,
            ValueKind.Text => Array.BinarySearch(_strings, (string)value, StringComparer.Ordinal) >= 0 != _coFinite,
            ValueKind.Flag => (_flags & ((bool)value ? TrueBit : FalseBit)) != 0,
            _ => _intervals.Any(i => i.Contains(ValueKinds.Key(Kind, value))),
        };
    }

    /// <summary>
    /// A concrete member, chosen to read naturally: the value nearest zero (an integer when the set has one) for numbers,
    /// the first string, a made-up string for "any other", true before false, non-null before null.
    /// </summary>
    public bool TrySample(out object? value)
    {
        value = null;
        if (IsEmptyWithoutNull)
        {
            return IncludesNull;
        }

        switch (Kind)
        {
            case ValueKind.Text:
                value = _coFinite ? FreshString(_strings) : _strings[0];
                return true;
            case ValueKind.Flag:
                value = (_flags & TrueBit) != 0;
                return true;
            case ValueKind.Any:
                value = "any";
                return true;
        }

        var best = 0m;
        var found = false;
        var anchor = ValueKinds.IsDiscrete(Kind) ? ValueKinds.AnchorKey(Kind) : 0m;
        foreach (var interval in _intervals)
        {
            var key = SampleKey(interval, anchor);
            if (!found || Math.Abs(key - anchor) < Math.Abs(best - anchor))
            {
                (best, found) = (key, true);
            }
        }

        value = ValueKinds.FromKey(Kind, best);
        return true;
    }

    private static decimal SampleKey(Interval interval, decimal anchor)
    {
        if (interval.Contains(anchor))
        {
            return anchor;
        }

        // The interval lies wholly above or below the anchor: take the integer closest to the near end, if it is inside.
        var above = !interval.Low.Infinite && (interval.Low.Value > anchor || (interval.Low.Value == anchor && !interval.Low.Included));
        try
        {
            var candidate = above
                ? (interval.Low.Included ? decimal.Ceiling(interval.Low.Value) : decimal.Floor(interval.Low.Value) + 1)
                : (interval.High.Included ? decimal.Floor(interval.High.Value) : decimal.Ceiling(interval.High.Value) - 1);
            if (interval.Contains(candidate))
            {
                return candidate;
            }

            // No integer inside, so both ends are finite: a single point, or the midpoint of a non-empty interval.
            if (interval.Low.Value == interval.High.Value)
            {
                return interval.Low.Value;
            }

            // Dividing by 1.000… drops the trailing zeros halving leaves behind, so 10.5 does not read as 10.50.
            var middle = ((interval.Low.Value / 2) + (interval.High.Value / 2)) / 1.0000000000000000000000000000m;
            return interval.Contains(middle) ? middle : interval.Low.Included ? interval.Low.Value : interval.High.Value;
        }
        catch (OverflowException)
        {
            return above ? interval.Low.Value : interval.High.Value;
        }
    }

    private static string FreshString(string[] excluded)
    {
        var candidate = "other";
        for (var n = 2; Array.BinarySearch(excluded, candidate, StringComparer.Ordinal) >= 0; n++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"other {n}");
        }

        return candidate;
    }

    /// <summary>Reads the set as a condition on <paramref name="name"/>, e.g. <c>10 ≤ employees &lt; 11</c> or <c>industry is not "IT"</c>.</summary>
    public string Describe(string name)
    {
        var parts = new List<string>();
        switch (Kind)
        {
            case ValueKind.Text when _coFinite:
                parts.Add(_strings.Length switch
                {
                    0 => $"{name} is any string",
                    1 => $"{name} is not {ValueKinds.Format(_strings[0])}",
                    _ => $"{name} is none of {string.Join(", ", _strings.Select(s => ValueKinds.Format(s)))}",
                });
                break;
            case ValueKind.Text when _strings.Length > 0:
                parts.Add(_strings.Length == 1
                    ? $"{name} = {ValueKinds.Format(_strings[0])}"
                    : $"{name} is one of {string.Join(", ", _strings.Select(s => ValueKinds.Format(s)))}");
                break;
            case ValueKind.Flag when _flags == (FalseBit | TrueBit):
                parts.Add($"{name} is true or false");
                break;
            case ValueKind.Flag when _flags != 0:
                parts.Add($"{name} = {((_flags & TrueBit) != 0 ? "true" : "false")}");
                break;
            case ValueKind.Any when _other:
                parts.Add($"{name} is not null");
                break;
            case ValueKind.Number or ValueKind.Date or ValueKind.DateTime or ValueKind.Time
                or ValueKind.DaysTimeDuration or ValueKind.YearsMonthsDuration:
                parts.AddRange(_intervals.Select(i => DescribeInterval(name, i)));
                break;
        }

        if (IncludesNull)
        {
            parts.Add($"{name} is null");
        }

        return parts.Count == 0 ? $"no value of {name}" : string.Join(" or ", parts);
    }

    private string DescribeInterval(string name, Interval interval)
    {
        var (low, high) = (interval.Low, interval.High);
        if (ValueKinds.IsDiscrete(Kind))
        {
            // Discrete sets are stored as closed ranges clamped to the kind's limits; the limits read as "unbounded".
            var (min, max) = ValueKinds.KeyRange(Kind);
            low = low.Value <= min ? Bound.Unbounded : low;
            high = high.Value >= max ? Bound.Unbounded : high;

            // Ticks are too fine to read: "< time("17:00:00")" rather than "≤ time("16:59:59.9999999")".
            if (Kind is ValueKind.DateTime or ValueKind.Time or ValueKind.DaysTimeDuration && !high.Infinite && (low.Infinite || high.Value != low.Value))
            {
                high = Bound.At(high.Value + 1, false);
            }
        }

        string Text(Bound b) => ValueKinds.Format(ValueKinds.FromKey(Kind, b.Value));
        if (low.Infinite && high.Infinite)
        {
            return $"{name} is any {ValueKinds.Name(Kind)}";
        }

        if (!low.Infinite && !high.Infinite && low.Value == high.Value)
        {
            return $"{name} = {Text(low)}";
        }

        var text = new StringBuilder();
        if (!low.Infinite && !high.Infinite)
        {
            text.Append(Text(low)).Append(low.Included ? " ≤ " : " < ").Append(name).Append(high.Included ? " ≤ " : " < ").Append(Text(high));
        }
        else if (low.Infinite)
        {
            text.Append(name).Append(high.Included ? " ≤ " : " < ").Append(Text(high));
        }
        else
        {
            text.Append(name).Append(low.Included ? " ≥ " : " > ").Append(Text(low));
        }

        return text.ToString();
    }

    public bool Equals(ValueSet? other) =>
        other is not null && Kind == other.Kind && IncludesNull == other.IncludesNull && _coFinite == other._coFinite
        && _flags == other._flags && _other == other._other
        && _intervals.AsSpan().SequenceEqual(other._intervals) && _strings.AsSpan().SequenceEqual(other._strings);

    public override bool Equals(object? obj) => Equals(obj as ValueSet);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(IncludesNull);
        hash.Add(_coFinite);
        hash.Add(_flags);
        hash.Add(_other);
        foreach (var interval in _intervals)
        {
            hash.Add(interval);
        }

        foreach (var s in _strings)
        {
            hash.Add(s, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => Describe("x");

    private void Check(ValueSet other)
    {
        if (other.Kind != Kind)
        {
            throw new ArgumentException($"Cannot combine a set of {ValueKinds.Name(Kind)} with a set of {ValueKinds.Name(other.Kind)}.", nameof(other));
        }
    }

    private static string[] Canonical(IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Builds the canonical form: discrete kinds as closed ranges within the kind's limits, then sorted and merged.</summary>
    private static ValueSet Ordered(ValueKind kind, bool includesNull, IEnumerable<Interval> intervals)
    {
        var discrete = ValueKinds.IsDiscrete(kind);
        var (min, max) = discrete ? ValueKinds.KeyRange(kind) : (0m, 0m);
        var list = new List<Interval>();
        foreach (var raw in intervals)
        {
            var interval = raw;
            if (discrete)
            {
                var low = raw.Low.Infinite ? min : raw.Low.Included ? decimal.Ceiling(raw.Low.Value) : decimal.Floor(raw.Low.Value) + 1;
                var high = raw.High.Infinite ? max : raw.High.Included ? decimal.Floor(raw.High.Value) : decimal.Ceiling(raw.High.Value) - 1;
                interval = new Interval(Bound.At(Math.Max(low, min), true), Bound.At(Math.Min(high, max), true));
            }

            if (!interval.IsEmpty)
            {
                list.Add(interval);
            }
        }

        list.Sort((a, b) => Interval.CompareLow(a.Low, b.Low));
        var merged = new List<Interval>(list.Count);
        foreach (var interval in list)
        {
            if (merged.Count > 0 && Touches(merged[^1], interval, discrete))
            {
                var last = merged[^1];
                merged[^1] = last with { High = Interval.CompareHigh(last.High, interval.High) >= 0 ? last.High : interval.High };
            }
            else
            {
                merged.Add(interval);
            }
        }

        return new ValueSet(kind, includesNull, intervals: [.. merged]);
    }

    /// <summary>True when <paramref name="next"/> (starting no earlier) overlaps or adjoins <paramref name="current"/>.</summary>
    private static bool Touches(Interval current, Interval next, bool discrete)
    {
        if (current.High.Infinite || next.Low.Infinite)
        {
            return true;
        }

        return discrete
            ? next.Low.Value <= current.High.Value + 1
            : next.Low.Value < current.High.Value || (next.Low.Value == current.High.Value && (current.High.Included || next.Low.Included));
    }
}
