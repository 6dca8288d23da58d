namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// For one input column, the set of rules (a bit per rule) whose cell accepts a value. Rules then match by AND-ing the
/// columns' sets, so evaluation costs one lookup per column instead of one test per cell.
/// </summary>
internal abstract class ColumnMask(int slot)
{
    public int Slot { get; } = slot;

    public abstract ReadOnlySpan<ulong> Compute(in FeelValue value, FeelValue[] slots, Span<ulong> scratch);

    /// <summary>Builds the fastest mask the column's tests allow: an index when every test is a constant of one kind.</summary>
    public static ColumnMask Create(int slot, int words, ulong[] anyMask, UnaryTest[] tests, FeelTest[] compiled, ulong[] testMasks)
    {
        var eager = new EagerColumnMask(slot, words, anyMask, compiled, testMasks);
        var shape = new Shape();
        if (!tests.All(shape.Add))
        {
            return eager;
        }

        if (shape.Kinds.All(k => k is FeelKind.Number or FeelKind.Null))
        {
            return NumberColumnMask.Build(slot, words, eager, shape.Points);
        }

        if (shape.Kinds.All(k => k is FeelKind.String or FeelKind.Null))
        {
            return StringColumnMask.Build(slot, words, eager, shape.Strings);
        }

        if (shape.Kinds.All(k => k is FeelKind.Boolean or FeelKind.Null))
        {
            return new BooleanColumnMask(slot, eager.Evaluate(FeelValue.True), eager.Evaluate(FeelValue.False), eager.Evaluate(FeelValue.Null), eager);
        }

        return eager;
    }

    /// <summary>Collects the constants a column's tests compare with, or rejects tests an index cannot represent.</summary>
    private sealed class Shape
    {
        public HashSet<FeelKind> Kinds { get; } = [];

        public SortedSet<decimal> Points { get; } = [];

        public HashSet<string> Strings { get; } = new(StringComparer.Ordinal);

        public bool Add(UnaryTest test) => test switch
        {
            AnyTest => true,
            ComparisonTest c => Constant(c.Value, ordered: c.Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual)),
            RangeTest r => Constant(r.Start, ordered: true) && Constant(r.End, ordered: true),
            DisjunctionTest d => d.Tests.All(Add),
            NegatedTest n => Add(n.Test),
            _ => false,
        };

        private bool Constant(FeelExpression expression, bool ordered)
        {
            if (!FeelCompiler.TryConstant(expression, out var value))
            {
                return false;
            }

            Kinds.Add(value.Kind);
            switch (value.Kind)
            {
                case FeelKind.Number:
                    Points.Add(value.Number);
                    return true;
                case FeelKind.String when !ordered:
                    Strings.Add(value.String);
                    return true;
                case FeelKind.Boolean when !ordered:
                case FeelKind.Null:
                    return true;
                default:
                    return false;
            }
        }
    }
}

/// <summary>Evaluates each distinct test of the column once and unions the rules that use the passing tests.</summary>
internal sealed class EagerColumnMask(int slot, int words, ulong[] anyMask, FeelTest[] tests, ulong[] testMasks) : ColumnMask(slot)
{
    public override ReadOnlySpan<ulong> Compute(in FeelValue value, FeelValue[] slots, Span<ulong> scratch)
    {
        anyMask.CopyTo(scratch);
        for (var t = 0; t < tests.Length; t++)
        {
            if (tests[t](value, slots) == Tri.True)
            {
                var mask = testMasks.AsSpan(t * words, words);
                for (var w = 0; w < words; w++)
                {
                    scratch[w] |= mask[w];
                }
            }
        }

        return scratch;
    }

    public ulong[] Evaluate(FeelValue value)
    {
        var result = new ulong[words];
        Compute(value, [], result);
        return result;
    }
}

/// <summary>
/// Number columns whose tests compare with constants are piecewise constant between those constants: the sorted
/// constants split the number line into regions, each with a precomputed rule set, found by binary search.
/// </summary>
internal sealed class NumberColumnMask : ColumnMask
{
    private readonly decimal[] _points;
    private readonly double[]? _integerPoints;
    private readonly ulong[] _regions;
    private readonly ulong[] _null;
    private readonly EagerColumnMask _fallback;
    private readonly int _words;

    private NumberColumnMask(int slot, int words, decimal[] points, ulong[] regions, ulong[] nullMask, EagerColumnMask fallback)
        : base(slot)
    {
        (_words, _points, _regions, _null, _fallback) = (words, points, regions, nullMask, fallback);

        // Most tables compare with whole numbers, which doubles represent exactly up to 2^53; searching doubles
        // avoids decimal comparisons, and a value that rounds onto a point is settled with one exact comparison.
        if (points.All(p => p == decimal.Truncate(p) && Math.Abs(p) < 9_007_199_254_740_992m))
        {
            _integerPoints = [.. points.Select(p => (double)p)];
        }
    }

    public static NumberColumnMask Build(int slot, int words, EagerColumnMask eager, SortedSet<decimal> sorted)
    {
        var points = sorted.ToArray();
        var regions = new ulong[((2 * points.Length) + 1) * words];
        for (var region = 0; region <= 2 * points.Length; region++)
        {
            var representative = points.Length == 0 ? 0m
                : region == 0 ? Below(points[0])
                : region % 2 == 1 ? points[region / 2]
                : region / 2 == points.Length ? Above(points[^1])
                : Between(points[(region / 2) - 1], points[region / 2]);
            eager.Evaluate(FeelValue.FromNumber(representative)).CopyTo(regions.AsSpan(region * words, words));
        }

        return new NumberColumnMask(slot, words, points, regions, eager.Evaluate(FeelValue.Null), eager);
    }

    // At the ends of decimal's range the region outside a point is empty (no number can land in it), so any
    // representative does; in between, halving first keeps two large points from overflowing their sum.
    private static decimal Below(decimal point) => point == decimal.MinValue ? point : point > decimal.MinValue + 1m ? point - 1m : decimal.MinValue;

    private static decimal Above(decimal point) => point == decimal.MaxValue ? point : point < decimal.MaxValue - 1m ? point + 1m : decimal.MaxValue;

    private static decimal Between(decimal low, decimal high) =>
        Math.Abs(low) < 1e27m && Math.Abs(high) < 1e27m ? (low + high) / 2m : (low / 2m) + (high / 2m);

    public override ReadOnlySpan<ulong> Compute(in FeelValue value, FeelValue[] slots, Span<ulong> scratch)
    {
        if (value.Kind != FeelKind.Number)
        {
            return value.Kind == FeelKind.Null ? _null : _fallback.Compute(value, slots, scratch);
        }

        return Find(value.Number);
    }

    /// <summary>Rules whose cells accept a null (or missing) input.</summary>
    public ReadOnlySpan<ulong> NullRules => _null;

    /// <summary>Rules whose cells accept <paramref name="number"/>.</summary>
    public ReadOnlySpan<ulong> Find(decimal number)
    {
        if (_integerPoints is not null)
        {
            return SearchIntegers(number);
        }

        var (low, high) = (0, _points.Length - 1);
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = number.CompareTo(_points[middle]);
            if (order == 0)
            {
                return _regions.AsSpan(((2 * middle) + 1) * _words, _words);
            }

            if (order < 0)
            {
                high = middle - 1;
            }
            else
            {
                low = middle + 1;
            }
        }

        return _regions.AsSpan(2 * low * _words, _words);
    }

    /// <summary>Rules whose cells accept <paramref name="number"/>; an int converts to double exactly, so no decimal is needed.</summary>
    public ReadOnlySpan<ulong> Find(int number)
    {
        var points = _integerPoints;
        if (points is null)
        {
            return Find((decimal)number);
        }

        var value = (double)number;
        var (low, high) = (0, points.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (points[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        // Both sides are whole numbers held exactly, so equal doubles are equal numbers.
        var region = low < points.Length && points[low] == value ? (2 * low) + 1 : 2 * low;
        return _regions.AsSpan(region * _words, _words);
    }

    private ReadOnlySpan<ulong> SearchIntegers(decimal number)
    {
        var points = _integerPoints!;
        var approximate = (double)number;
        var (low, high) = (0, points.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (points[middle] < approximate)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        // Points are whole numbers at least 1 apart, so a value that rounds onto one lies strictly between its neighbours.
        var region = low < points.Length && points[low] == approximate
            ? number.CompareTo(_points[low]) switch { 0 => (2 * low) + 1, < 0 => 2 * low, _ => (2 * low) + 2 }
            : 2 * low;
        return _regions.AsSpan(region * _words, _words);
    }
}

/// <summary>String columns tested only for equality with constants: one rule set per known string, one for any other.</summary>
internal sealed class StringColumnMask : ColumnMask
{
    private readonly string[] _keys;
    private readonly Dictionary<string, int>? _lookup;
    private readonly ulong[] _masks;
    private readonly ulong[] _null;
    private readonly EagerColumnMask _fallback;
    private readonly int _words;

    private StringColumnMask(int slot, int words, string[] keys, ulong[] masks, ulong[] nullMask, EagerColumnMask fallback)
        : base(slot)
    {
        (_words, _keys, _masks, _null, _fallback) = (words, keys, masks, nullMask, fallback);
        // A short list is faster to scan than to hash.
        _lookup = keys.Length > 8 ? keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal) : null;
    }

    public static StringColumnMask Build(int slot, int words, EagerColumnMask eager, HashSet<string> strings)
    {
        var keys = strings.Order(StringComparer.Ordinal).ToArray();
        var masks = new ulong[(keys.Length + 1) * words];
        for (var i = 0; i < keys.Length; i++)
        {
            eager.Evaluate(FeelValue.FromString(keys[i])).CopyTo(masks.AsSpan(i * words, words));
        }

        // Every string outside the constants gets the same answer from every test; any such string stands for all.
        var other = "\u0001other";
        while (strings.Contains(other))
        {
            other += "\u0001";
        }

        eager.Evaluate(FeelValue.FromString(other)).CopyTo(masks.AsSpan(keys.Length * words, words));
        return new StringColumnMask(slot, words, keys, masks, eager.Evaluate(FeelValue.Null), eager);
    }

    public override ReadOnlySpan<ulong> Compute(in FeelValue value, FeelValue[] slots, Span<ulong> scratch)
    {
        if (value.Kind != FeelKind.String)
        {
            return value.Kind == FeelKind.Null ? _null : _fallback.Compute(value, slots, scratch);
        }

        return Find((string)value.Ref!);
    }

    /// <summary>Rules whose cells accept a null (or missing) input.</summary>
    public ReadOnlySpan<ulong> NullRules => _null;

    /// <summary>Rules whose cells accept <paramref name="text"/>.</summary>
    public ReadOnlySpan<ulong> Find(string text)
    {
        var index = _keys.Length;
        if (_lookup is not null)
        {
            if (_lookup.TryGetValue(text, out var found))
            {
                index = found;
            }
        }
        else
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                if (string.Equals(_keys[i], text, StringComparison.Ordinal))
                {
                    index = i;
                    break;
                }
            }
        }

        return _masks.AsSpan(index * _words, _words);
    }
}

internal sealed class BooleanColumnMask(int slot, ulong[] whenTrue, ulong[] whenFalse, ulong[] whenNull, EagerColumnMask fallback) : ColumnMask(slot)
{
    /// <summary>Rules whose cells accept a null (or missing) input.</summary>
    public ReadOnlySpan<ulong> NullRules => whenNull;

    /// <summary>Rules whose cells accept <paramref name="value"/>.</summary>
    public ReadOnlySpan<ulong> Find(bool value) => value ? whenTrue : whenFalse;

    public override ReadOnlySpan<ulong> Compute(in FeelValue value, FeelValue[] slots, Span<ulong> scratch) => value.Kind switch
    {
        FeelKind.Boolean => value.Boolean ? whenTrue : whenFalse,
        FeelKind.Null => whenNull,
        _ => fallback.Compute(value, slots, scratch),
    };
}
