namespace AgentConsole.Engine.DecisionTables;

/// <summary>Computes an expression from the evaluation's slot array.</summary>
internal delegate FeelValue FeelEvaluator(FeelValue[] slots);

/// <summary>Applies a unary test to an input value; other slots are there for tests that name variables.</summary>
internal delegate Tri FeelTest(in FeelValue input, FeelValue[] slots);

/// <summary>
/// Turns syntax trees into closures once, at compile time: names become slot indexes, constant sub-trees are folded,
/// and the common test shapes (number comparisons and ranges, string lists) get specialised closures without boxing.
/// </summary>
internal static class FeelCompiler
{
    private static readonly FeelValue[] NoSlots = [];

    public static bool IsConstant(FeelExpression expression) => expression switch
    {
        FeelLiteral => true,
        FeelName => false,
        FeelNegation n => IsConstant(n.Operand),
        FeelNot n => IsConstant(n.Operand),
        FeelBinary b => IsConstant(b.Left) && IsConstant(b.Right),
        FeelFunctionCall c => c.Arguments.All(IsConstant),
        _ => false,
    };

    public static bool TryConstant(FeelExpression expression, out FeelValue value)
    {
        if (!IsConstant(expression))
        {
            value = FeelValue.Null;
            return false;
        }

        value = CompileTree(expression, static _ => -1)(NoSlots);
        return true;
    }

    public static void CollectNames(FeelExpression expression, ICollection<string> names)
    {
        switch (expression)
        {
            case FeelName n:
                names.Add(n.Name);
                break;
            case FeelNegation n:
                CollectNames(n.Operand, names);
                break;
            case FeelNot n:
                CollectNames(n.Operand, names);
                break;
            case FeelBinary b:
                CollectNames(b.Left, names);
                CollectNames(b.Right, names);
                break;
            case FeelFunctionCall c:
                foreach (var argument in c.Arguments)
                {
                    CollectNames(argument, names);
                }

                break;
        }
    }

    public static void CollectNames(UnaryTest test, ICollection<string> names)
    {
        switch (test)
        {
            case ComparisonTest c:
                CollectNames(c.Value, names);
                break;
            case RangeTest r:
                CollectNames(r.Start, names);
                CollectNames(r.End, names);
                break;
            case DisjunctionTest d:
                foreach (var inner in d.Tests)
                {
                    CollectNames(inner, names);
                }

                break;
            case NegatedTest n:
                CollectNames(n.Test, names);
                break;
        }
    }

    public static FeelEvaluator Compile(FeelExpression expression, Func<string, int> slotOf)
    {
        if (expression is not FeelLiteral && IsConstant(expression))
        {
            var folded = CompileTree(expression, slotOf)(NoSlots);
            return _ => folded;
        }

        return CompileTree(expression, slotOf);
    }

    private static FeelEvaluator CompileTree(FeelExpression expression, Func<string, int> slotOf)
    {
        switch (expression)
        {
            case FeelLiteral literal:
            {
                var value = FeelValue.FromClr(literal.Value);
                return _ => value;
            }

            case FeelName name:
            {
                var slot = slotOf(name.Name);
                return slots => slots[slot];
            }

            case FeelNegation negation:
            {
                var operand = Compile(negation.Operand, slotOf);
                return slots => FeelOps.Negate(operand(slots));
            }

            case FeelNot not:
            {
                var operand = Compile(not.Operand, slotOf);
                return slots => FeelOps.FromTri(FeelOps.Not(FeelOps.ToTri(operand(slots))));
            }

            case FeelBinary binary:
            {
                var left = Compile(binary.Left, slotOf);
                var right = Compile(binary.Right, slotOf);
                var op = binary.Operator;
                return slots => FeelOps.Binary(op, left(slots), right(slots));
            }

            case FeelFunctionCall call:
            {
                var argument = Compile(call.Arguments[0], slotOf);
                var function = call.Function;
                return slots =>
                {
                    var value = argument(slots);
                    return value.Kind == FeelKind.String && FeelConversions.TryConvert(function, value.String, out var converted) is null
                        ? FeelValue.FromClr(converted)
                        : FeelValue.Null;
                };
            }

            default:
                throw new NotSupportedException($"Unknown expression node {expression.GetType().Name}.");
        }
    }

    public static FeelTest CompileTest(UnaryTest test, Func<string, int> slotOf) => test switch
    {
        AnyTest => static (in FeelValue _, FeelValue[] _) => Tri.True,
        ComparisonTest comparison => CompileComparison(comparison, slotOf),
        RangeTest range => CompileRange(range, slotOf),
        DisjunctionTest disjunction => CompileDisjunction(disjunction, slotOf),
        NegatedTest negated => CompileNegation(negated, slotOf),
        _ => throw new NotSupportedException($"Unknown test node {test.GetType().Name}."),
    };

    private static FeelTest CompileNegation(NegatedTest negated, Func<string, int> slotOf)
    {
        var inner = CompileTest(negated.Test, slotOf);
        return (in FeelValue v, FeelValue[] s) => FeelOps.Not(inner(v, s));
    }

    private static FeelTest CompileComparison(ComparisonTest test, Func<string, int> slotOf)
    {
        var op = test.Operator;
        if (TryConstant(test.Value, out var constant))
        {
            switch (constant.Kind)
            {
                case FeelKind.Number:
                    return NumberComparison(op, constant.Number);
                case FeelKind.String when op is ComparisonOperator.Equal:
                {
                    var expected = constant.String;
                    return (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.String
                        ? (string.Equals((string)v.Ref!, expected, StringComparison.Ordinal) ? Tri.True : Tri.False)
                        : v.Kind == FeelKind.Null ? Tri.False : Tri.Null;
                }

                case FeelKind.Boolean when op is ComparisonOperator.Equal:
                {
                    var bits = constant.Bits;
                    return (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Boolean
                        ? (v.Bits == bits ? Tri.True : Tri.False)
                        : v.Kind == FeelKind.Null ? Tri.False : Tri.Null;
                }

                case FeelKind.Null when op is ComparisonOperator.Equal:
                    return static (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Null ? Tri.True : Tri.False;
            }

            return (in FeelValue v, FeelValue[] _) => Compare(op, v, constant);
        }

        var endpoint = Compile(test.Value, slotOf);
        return (in FeelValue v, FeelValue[] s) => Compare(op, v, endpoint(s));
    }

    private static Tri Compare(ComparisonOperator op, in FeelValue input, in FeelValue endpoint)
    {
        switch (op)
        {
            case ComparisonOperator.Equal:
                return FeelOps.Equal(input, endpoint);
            case ComparisonOperator.NotEqual:
                // FEEL: null = x is false for a non-null x, so null != x is true, as not(x) is; the analysis agrees.
                return FeelOps.Not(FeelOps.Equal(input, endpoint));
        }

        if (FeelOps.Compare(input, endpoint) is not { } order)
        {
            return Tri.Null;
        }

        var result = op switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        };
        return result ? Tri.True : Tri.False;
    }

    private static FeelTest NumberComparison(ComparisonOperator op, decimal c) => op switch
    {
        ComparisonOperator.Less => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number < c ? Tri.True : Tri.False) : Tri.Null,
        ComparisonOperator.LessOrEqual => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number <= c ? Tri.True : Tri.False) : Tri.Null,
        ComparisonOperator.Greater => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number > c ? Tri.True : Tri.False) : Tri.Null,
        ComparisonOperator.GreaterOrEqual => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number >= c ? Tri.True : Tri.False) : Tri.Null,
        ComparisonOperator.Equal => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number
            ? (v.Number == c ? Tri.True : Tri.False)
            : v.Kind == FeelKind.Null ? Tri.False : Tri.Null,
        _ => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number
            ? (v.Number != c ? Tri.True : Tri.False)
            : v.Kind == FeelKind.Null ? Tri.True : Tri.Null,
    };

    private static FeelTest CompileRange(RangeTest range, Func<string, int> slotOf)
    {
        var (startIncluded, endIncluded) = (range.StartIncluded, range.EndIncluded);
        if (TryConstant(range.Start, out var low) && TryConstant(range.End, out var high))
        {
            if (low.Kind == FeelKind.Number && high.Kind == FeelKind.Number)
            {
                var (lo, hi) = (low.Number, high.Number);
                return (startIncluded, endIncluded) switch
                {
                    (true, true) => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number >= lo && v.Number <= hi ? Tri.True : Tri.False) : Tri.Null,
                    (true, false) => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number >= lo && v.Number < hi ? Tri.True : Tri.False) : Tri.Null,
                    (false, true) => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number > lo && v.Number <= hi ? Tri.True : Tri.False) : Tri.Null,
                    _ => (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.Number ? (v.Number > lo && v.Number < hi ? Tri.True : Tri.False) : Tri.Null,
                };
            }

            return (in FeelValue v, FeelValue[] _) => InRange(v, low, startIncluded, high, endIncluded);
        }

        var start = Compile(range.Start, slotOf);
        var end = Compile(range.End, slotOf);
        return (in FeelValue v, FeelValue[] s) => InRange(v, start(s), startIncluded, end(s), endIncluded);
    }

    private static Tri InRange(in FeelValue value, in FeelValue low, bool startIncluded, in FeelValue high, bool endIncluded)
    {
        if (FeelOps.Compare(value, low) is not { } fromLow || FeelOps.Compare(value, high) is not { } fromHigh)
        {
            return Tri.Null;
        }

        var inside = (startIncluded ? fromLow >= 0 : fromLow > 0) && (endIncluded ? fromHigh <= 0 : fromHigh < 0);
        return inside ? Tri.True : Tri.False;
    }

    private static FeelTest CompileDisjunction(DisjunctionTest disjunction, Func<string, int> slotOf)
    {
        var strings = new List<string>();
        foreach (var test in disjunction.Tests)
        {
            if (test is ComparisonTest { Operator: ComparisonOperator.Equal } c && TryConstant(c.Value, out var v) && v.Kind == FeelKind.String)
            {
                strings.Add(v.String);
            }
            else
            {
                strings = null;
                break;
            }
        }

        if (strings is not null)
        {
            // Short lists are faster as a linear scan than as a hash lookup.
            if (strings.Count <= 6)
            {
                var values = strings.ToArray();
                return (in FeelValue v, FeelValue[] _) =>
                {
                    if (v.Kind != FeelKind.String)
                    {
                        return v.Kind == FeelKind.Null ? Tri.False : Tri.Null;
                    }

                    var s = (string)v.Ref!;
                    foreach (var candidate in values)
                    {
                        if (string.Equals(s, candidate, StringComparison.Ordinal))
                        {
                            return Tri.True;
                        }
                    }

                    return Tri.False;
                };
            }

            var set = new HashSet<string>(strings, StringComparer.Ordinal);
            return (in FeelValue v, FeelValue[] _) => v.Kind == FeelKind.String
                ? (set.Contains((string)v.Ref!) ? Tri.True : Tri.False)
                : v.Kind == FeelKind.Null ? Tri.False : Tri.Null;
        }

        var tests = disjunction.Tests.Select(t => CompileTest(t, slotOf)).ToArray();
        return (in FeelValue v, FeelValue[] s) =>
        {
            var result = Tri.False;
            foreach (var test in tests)
            {
                var r = test(v, s);
                if (r == Tri.True)
                {
                    return Tri.True;
                }

                if (r == Tri.Null)
                {
                    result = Tri.Null;
                }
            }

            return result;
        };
    }
}
