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
        FeelFunctionCall c => FeelBuiltins.IsPure(c.Function) && c.Arguments.All(IsConstant),
        FeelListLiteral l => l.Items.All(IsConstant),
        FeelIf i => IsConstant(i.Condition) && IsConstant(i.Then) && IsConstant(i.Else),
        FeelBetween b => IsConstant(b.Value) && IsConstant(b.Low) && IsConstant(b.High),
        _ => false,
    };

    public static bool TryConstant(FeelExpression expression, out FeelValue value)
    {
        if (!IsConstant(expression))
        {
            value = FeelValue.Null;
            return false;
        }

        try
        {
            // Folding runs the expression now, with a budget of its own: a constant too large to build is not folded.
            FeelBudget.Reset();
            value = CompileTree(expression, new FeelEnv(static _ => -1))(NoSlots);
            if (FeelBudget.Exceeded is not null)
            {
                value = FeelValue.Null;
                return false;
            }
        }
        catch (FeelCompileException)
        {
            // e.g. a built-in called with the wrong number of arguments: not a constant; compiling it reports the error.
            value = FeelValue.Null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Adds the free names an expression refers to: not its local names (for/some/every variables, context entries),
    /// nor <c>item</c> inside a filter. Inside a filter a name may be a component of the item, so callers keep only the
    /// names their scope knows.
    /// </summary>
    public static void CollectNames(FeelExpression expression, ICollection<string> names) => CollectFree(expression, names, []);

    private static void CollectFree(object node, ICollection<string> names, List<string> locals)
    {
        // Iterative for plain nodes, recursive only where a node declares names; the parser bounds the depth.
        switch (node)
        {
            case FeelName n:
                if (!locals.Contains(n.Name))
                {
                    names.Add(n.Name);
                }

                return;
            case FeelFilter f:
                CollectFree(f.Source, names, locals);
                locals.Add("item");
                CollectFree(f.Condition, names, locals);
                locals.RemoveAt(locals.Count - 1);
                return;
            case FeelContextLiteral c:
            {
                var mark = locals.Count;
                foreach (var entry in c.Entries)
                {
                    CollectFree(entry.Value, names, locals);
                    locals.Add(entry.Key);
                }

                locals.RemoveRange(mark, locals.Count - mark);
                return;
            }

            case FeelFor or FeelQuantified:
            {
                var (iterations, body) = node is FeelFor f ? (f.Iterations, f.Return) : (((FeelQuantified)node).Iterations, ((FeelQuantified)node).Satisfies);
                var mark = locals.Count;
                foreach (var iteration in iterations)
                {
                    CollectFree(iteration.Source, names, locals);
                    locals.Add(iteration.Variable);
                }

                CollectFree(body, names, locals);
                locals.RemoveRange(mark, locals.Count - mark);
                return;
            }

            default:
                foreach (var child in FeelTree.Children(node))
                {
                    CollectFree(child, names, locals);
                }

                return;
        }
    }

    public static void CollectNames(UnaryTest test, ICollection<string> names) => CollectFree(test, names, []);

    public static FeelEvaluator Compile(FeelExpression expression, Func<string, int> slotOf) => Compile(expression, new FeelEnv(slotOf));

    public static FeelEvaluator Compile(FeelExpression expression, FeelEnv env)
    {
        if (expression is FeelLiteral || !IsConstant(expression))
        {
            return CompileTree(expression, env);
        }

        // Compiled once: a compile error propagates (retrying would compile nested calls again at every level,
        // exponentially), and a constant too large to build within the budget is computed when evaluated instead.
        var evaluator = CompileTree(expression, env);
        FeelBudget.Reset();
        var folded = evaluator(NoSlots);
        return FeelBudget.Exceeded is null ? _ => folded : evaluator;
    }

    private static FeelEvaluator CompileTree(FeelExpression expression, FeelEnv env)
    {
        switch (expression)
        {
            case FeelLiteral literal:
            {
                var value = FeelValue.FromClr(literal.Value);
                return _ => value;
            }

            case FeelName name:
                return CompileName(name, env);

            case FeelInputValue input:
            {
                var slot = env.InputSlot >= 0 ? env.InputSlot
                    : throw new FeelCompileException("'?' stands for the value under test and is only allowed in an input entry.", input.Span);
                return slots => slots[slot];
            }

            case FeelNegation negation:
            {
                var operand = Compile(negation.Operand, env);
                return slots => FeelOps.Negate(operand(slots));
            }

            case FeelNot not:
            {
                var operand = Compile(not.Operand, env);
                return slots => FeelOps.FromTri(FeelOps.Not(FeelOps.ToTri(operand(slots))));
            }

            case FeelBinary { Operator: FeelBinaryOperator.And or FeelBinaryOperator.Or } logic:
            {
                // FEEL's and/or need not evaluate the right side once the left decides; list functions inside may be costly.
                var left = Compile(logic.Left, env);
                var right = Compile(logic.Right, env);
                var op = logic.Operator;
                var decisive = op == FeelBinaryOperator.And ? Tri.False : Tri.True;
                return slots =>
                {
                    var l = left(slots);
                    return FeelOps.ToTri(l) == decisive ? l : FeelOps.Binary(op, l, right(slots));
                };
            }

            case FeelBinary binary:
            {
                var left = Compile(binary.Left, env);
                var right = Compile(binary.Right, env);
                var op = binary.Operator;
                return slots => FeelOps.Binary(op, left(slots), right(slots));
            }

            case FeelFunctionCall call:
                return FeelCalls.Compile(call, env, e => Compile(e, env));

            default:
                return FeelStructures.Compile(expression, env);
        }
    }

    private static FeelEvaluator CompileName(FeelName name, FeelEnv env)
    {
        if (env.TryLocal(name.Name, out var local))
        {
            return slots => slots[local];
        }

        if (env.InFilter)
        {
            // Inside list[...] a name is first a component of the item (Employees[dept = 10]), then a variable.
            var item = env.ItemSlot;
            var key = name.Name;
            if (key == "item")
            {
                return slots => slots[item];
            }

            var global = env.TryGlobal(key);
            return slots =>
            {
                var value = slots[item];
                if (value.Kind == FeelKind.Context && value.Context.TryGet(key, out var member))
                {
                    return member;
                }

                return global >= 0 ? slots[global] : FeelValue.Null;
            };
        }

        var slot = env.Scope is null ? env.TryGlobal(name.Name) : (env.TryGlobal(name.Name) is var s and >= 0 ? s
            : throw new FeelCompileException($"Unknown name '{name.Name}'.", name.Span));
        return slots => slots[slot];
    }

    public static FeelTest CompileTest(UnaryTest test, Func<string, int> slotOf) => CompileTest(test, new FeelEnv(slotOf));

    public static FeelTest CompileTest(UnaryTest test, FeelEnv env) => test switch
    {
        AnyTest => static (in FeelValue _, FeelValue[] _) => Tri.True,
        ComparisonTest comparison => CompileComparison(comparison, env),
        RangeTest range => CompileRange(range, env),
        DisjunctionTest disjunction => CompileDisjunction(disjunction, env),
        NegatedTest negated => CompileNegation(negated, env),
        ExpressionTest expression => CompileExpressionTest(expression, env),
        _ => throw new NotSupportedException($"Unknown test node {test.GetType().Name}."),
    };

    private static FeelTest CompileExpressionTest(ExpressionTest test, FeelEnv env)
    {
        var outer = env.InputSlot;
        var slot = env.Reserve();
        env.InputSlot = slot;
        var evaluate = Compile(test.Expression, env);
        env.InputSlot = outer;
        return (in FeelValue v, FeelValue[] s) =>
        {
            s[slot] = v;
            var result = evaluate(s);

            // "? > 5" yields the test's truth (null: no match, also for a null input); an expression that yields a
            // list or a value (e.g. "sublist(Products, 1, 2)") is compared with the input like any list-valued test.
            return result.Kind switch
            {
                FeelKind.Boolean => FeelOps.ToTri(result),
                FeelKind.Null => Tri.Null,
                _ => Compare(ComparisonOperator.Equal, v, result),
            };
        };
    }

    private static FeelTest CompileNegation(NegatedTest negated, FeelEnv env)
    {
        var inner = CompileTest(negated.Test, env);
        return (in FeelValue v, FeelValue[] s) => FeelOps.Not(inner(v, s));
    }

    private static FeelTest CompileComparison(ComparisonTest test, FeelEnv env)
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

        var endpoint = Compile(test.Value, env);
        return (in FeelValue v, FeelValue[] s) => Compare(op, v, endpoint(s));
    }

    internal static Tri Compare(ComparisonOperator op, in FeelValue input, in FeelValue endpoint)
    {
        switch (op)
        {
            case ComparisonOperator.Equal when endpoint.Kind == FeelKind.List && input.Kind != FeelKind.List:
                // DMN 1.3: a list-valued test matches the values in the list ("Flu Symptoms", [1, 2, 3]).
                return FeelOps.Contains(endpoint.List, input);
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

    private static FeelTest CompileRange(RangeTest range, FeelEnv env)
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

        var start = Compile(range.Start, env);
        var end = Compile(range.End, env);
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

    private static FeelTest CompileDisjunction(DisjunctionTest disjunction, FeelEnv env)
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

        var tests = disjunction.Tests.Select(t => CompileTest(t, env)).ToArray();
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
