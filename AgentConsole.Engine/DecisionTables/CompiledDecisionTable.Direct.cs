using System.Runtime.CompilerServices;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The shortcut for the common table shape: every column reads an input by name and is indexed by a number, string or
/// boolean mask. Values of the CLR types callers send most (decimal, int, string, bool, null) go straight from the
/// caller's dictionary to the column's rule set, with no <see cref="FeelValue"/>, slot array or virtual call per column.
/// Anything else (other CLR types, strings for number columns, several matches needing messages...) returns null and
/// the general path evaluates from scratch, so both paths give the same results by construction.
/// </summary>
public sealed partial class CompiledDecisionTable
{
    private const int DirectMaxWords = 16;

    private readonly bool _constantOutputs;
    private readonly DirectInput[]? _direct;
    private readonly ulong _directAllSeen;

    private enum DirectKind : byte
    {
        /// <summary>Untyped and untested: any value the shortcut knows (decimal, int, string, bool, null) is fine.</summary>
        Any,
        Number,
        String,
        Boolean,
        /// <summary>A typeRef the shortcut does not convert (dates, durations): only null passes.</summary>
        NullOnly,
    }

    private readonly record struct DirectInput(string Name, DirectKind Kind, NumberColumnMask? Number, StringColumnMask? Text, BooleanColumnMask? Boolean);

    private DirectInput[]? PlanDirectInputs()
    {
        if (_activeColumns.Length > 0 || _words > DirectMaxWords || BindingSlots.Length > 64)
        {
            return null;
        }

        var slots = BindingSlots;
        var names = BindingNames;
        var types = BindingTypes;
        foreach (var mask in _masks)
        {
            // A column reading a slot the caller does not fill (e.g. another decision's result in a model) needs the slots.
            if (!slots.Contains(mask.Slot))
            {
                return null;
            }
        }

        var plan = new DirectInput[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            var masks = _masks.Where(m => m.Slot == slot).ToArray();
            if (masks.Length > 1)
            {
                return null;
            }

            var type = types[i];
            DirectInput? input = masks.FirstOrDefault() switch
            {
                null => new DirectInput(names[i], type switch
                {
                    null => DirectKind.Any,
                    FeelType.Number => DirectKind.Number,
                    FeelType.String => DirectKind.String,
                    FeelType.Boolean => DirectKind.Boolean,
                    _ => DirectKind.NullOnly,
                }, null, null, null),
                NumberColumnMask number when type is null or FeelType.Number => new DirectInput(names[i], DirectKind.Number, number, null, null),
                StringColumnMask text when type is null or FeelType.String => new DirectInput(names[i], DirectKind.String, null, text, null),
                BooleanColumnMask boolean when type is null or FeelType.Boolean => new DirectInput(names[i], DirectKind.Boolean, null, null, boolean),
                _ => null,
            };
            if (input is null)
            {
                return null;
            }

            plan[i] = input.Value;
        }

        return plan;
    }

    internal override DecisionResult? TryEvaluateDirect(IReadOnlyDictionary<string, object?> inputs)
    {
        var plan = _direct;
        if (plan is null)
        {
            return null;
        }

        if (_words > 1)
        {
            return TryEvaluateDirectWide(plan, inputs);
        }

        // Up to 64 rules the rule set is one local word. The loops live in ReadDirect, apart from any stackalloc: a method
        // that loops and allocates on the stack is compiled once, without profile-guided optimisation, which measured
        // about 25 ns slower per evaluation on the benchmark table.
        var rules = _allRules[0];
        return ReadDirect(plan, inputs, new Span<ulong>(ref rules)) ? DirectResult(new ReadOnlySpan<ulong>(ref rules)) : null;
    }

    private DecisionResult? TryEvaluateDirectWide(DirectInput[] plan, IReadOnlyDictionary<string, object?> inputs)
    {
        Span<ulong> rules = stackalloc ulong[DirectMaxWords];
        rules = rules[.._words];
        _allRules.CopyTo(rules);
        return ReadDirect(plan, inputs, rules) ? DirectResult(rules) : null;
    }

    // Compiled once, fully optimised, with Narrow inlined. Left to tiered, profile-guided compilation, the same code
    // measured 53-56 ns per benchmark evaluation in most processes but 75-83 ns in about one in five (whatever profile
    // it happened to be recompiled with); compiled this way it measured 58-60 ns in every process.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReadDirect(DirectInput[] plan, IReadOnlyDictionary<string, object?> inputs, Span<ulong> rules)
    {
        var seen = 0UL;

        // Walking a small dictionary costs less than hashing every name into it, and callers usually list the inputs
        // in the table's order, so an entry's position is the first guess for its column.
        if (inputs is Dictionary<string, object?> dictionary && dictionary.Count <= (2 * plan.Length) + 4)
        {
            var position = 0;
            foreach (var (key, raw) in dictionary)
            {
                var i = position < plan.Length && string.Equals(plan[position].Name, key, StringComparison.Ordinal) ? position : IndexOf(plan, key);
                position++;
                if (i >= 0)
                {
                    if (!Narrow(plan[i], raw, rules))
                    {
                        return false;
                    }

                    seen |= 1UL << i;
                }
            }
        }

        // Names the walk did not meet by exact spelling go through the dictionary's own lookup: its comparer may match
        // another spelling (e.g. ignoring case), and what it cannot find is a missing input, which is null. A key found
        // by exact spelling is the one the lookup would find too, since keys are unique under the comparer.
        for (var i = 0; seen != _directAllSeen && i < plan.Length; i++)
        {
            if ((seen & (1UL << i)) == 0)
            {
                if (!LookUpAndNarrow(plan[i], inputs, rules))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // Kept out of line so ReadDirect carries one inlined copy of Narrow, for the walk, where the time goes.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool LookUpAndNarrow(in DirectInput input, IReadOnlyDictionary<string, object?> inputs, Span<ulong> rules)
    {
        inputs.TryGetValue(input.Name, out var raw);
        return Narrow(input, raw, rules);
    }

    private static int IndexOf(DirectInput[] plan, string key)
    {
        for (var i = 0; i < plan.Length; i++)
        {
            if (string.Equals(plan[i].Name, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>ANDs the rules that accept <paramref name="raw"/> into <paramref name="rules"/>; false when the value needs the general path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Narrow(in DirectInput input, object? raw, Span<ulong> rules)
    {
        ReadOnlySpan<ulong> mask;
        switch (input.Kind)
        {
            case DirectKind.Number:
                if (raw is decimal number)
                {
                    mask = input.Number is { } column ? column.Find(number) : default;
                }
                else if (raw is int whole)
                {
                    mask = input.Number is { } column ? column.Find(whole) : default;
                }
                else if (raw is null)
                {
                    mask = input.Number is { } column ? column.NullRules : default;
                }
                else
                {
                    return false;
                }

                break;
            case DirectKind.String:
                if (raw is string text)
                {
                    mask = input.Text is { } column ? column.Find(text) : default;
                }
                else if (raw is null)
                {
                    mask = input.Text is { } column ? column.NullRules : default;
                }
                else
                {
                    return false;
                }

                break;
            case DirectKind.Boolean:
                if (raw is bool flag)
                {
                    mask = input.Boolean is { } column ? column.Find(flag) : default;
                }
                else if (raw is null)
                {
                    mask = input.Boolean is { } column ? column.NullRules : default;
                }
                else
                {
                    return false;
                }

                break;
            case DirectKind.Any:
                return raw is null or decimal or int or string or bool;
            default:
                return raw is null;
        }

        for (var w = 0; w < mask.Length; w++)
        {
            rules[w] &= mask[w];
        }

        return true;
    }

    private DecisionResult? DirectResult(ReadOnlySpan<ulong> rules)
    {
        var first = -1;
        var count = 0;
        for (var w = 0; w < rules.Length; w++)
        {
            if (rules[w] != 0)
            {
                first = first < 0 ? (w * 64) + System.Numerics.BitOperations.TrailingZeroCount(rules[w]) : first;
                count += System.Numerics.BitOperations.PopCount(rules[w]);
            }
        }

        if (count == 0)
        {
            return _noMatchResult;
        }

        if (_policy == HitPolicy.First || count == 1)
        {
            // FIRST and single matches need no ranking: the rule's shared result is the answer (null when its outputs are computed).
            return _policy is HitPolicy.First or HitPolicy.Unique or HitPolicy.Any or HitPolicy.Priority ? _ruleResults[first] : Matched(rules, count);
        }

        // Several matches: UNIQUE must name them in its error, which the general path does.
        return _policy == HitPolicy.Unique ? null : Matched(rules, count);
    }

    private DecisionResult? Matched(ReadOnlySpan<ulong> rules, int count)
    {
        if (!_constantOutputs)
        {
            return null;
        }

        Span<int> matched = count <= StackLimit ? stackalloc int[count] : new int[count];
        var n = 0;
        for (var w = 0; w < rules.Length; w++)
        {
            for (var bits = rules[w]; bits != 0; bits &= bits - 1)
            {
                matched[n++] = (w * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
        }

        // Constant outputs never read the slots.
        return ApplyHitPolicy(matched, []);
    }
}
