namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>
/// Where a unary test is true and where it is false, following FEEL's three-valued logic: whatever is in neither set
/// makes the test null (e.g. <c>&lt; 10</c> for a null input), and null never makes a rule match.
/// Each set has an under- and an over-approximation; they are equal unless part of the test could not be reasoned
/// about exactly (a name, arithmetic on names), in which case the unknown part spans from nothing to everything.
/// </summary>
internal readonly record struct TestSets(ValueSet TrueUnder, ValueSet TrueOver, ValueSet FalseUnder, ValueSet FalseOver)
{
    public bool IsExact => TrueUnder.Equals(TrueOver) && FalseUnder.Equals(FalseOver);

    public static TestSets Exact(ValueSet whenTrue, ValueSet whenFalse) => new(whenTrue, whenTrue, whenFalse, whenFalse);

    public static TestSets Unknown(ValueKind kind) =>
        new(ValueSet.Empty(kind), ValueSet.Universe(kind), ValueSet.Empty(kind), ValueSet.Universe(kind));

    /// <summary><c>not(t)</c>: FEEL's not swaps true and false and leaves null alone.</summary>
    public TestSets Negate() => new(FalseUnder, FalseOver, TrueUnder, TrueOver);

    /// <summary><c>a, b</c>: true when any test is true, false when all are false, null otherwise.</summary>
    public TestSets Or(TestSets other) => new(
        TrueUnder.Union(other.TrueUnder), TrueOver.Union(other.TrueOver),
        FalseUnder.Intersect(other.FalseUnder), FalseOver.Intersect(other.FalseOver));

    /// <summary><c>a and b</c>: true when both are true, false when either is false, null otherwise.</summary>
    public TestSets And(TestSets other) => new(
        TrueUnder.Intersect(other.TrueUnder), TrueOver.Intersect(other.TrueOver),
        FalseUnder.Union(other.FalseUnder), FalseOver.Union(other.FalseOver));
}

/// <summary>Something the analysis noticed about a literal or sub-test of a cell while it built the cell's sets.</summary>
internal enum TestNoteKind
{
    /// <summary>A literal of another type than the column's; the comparison is null for every non-null input.</summary>
    TypeMismatch,

    /// <summary>A part the analysis cannot reason about exactly.</summary>
    Unknown,

    /// <summary>A value the test names explicitly (<c>"Gold"</c>, a range end), to check against the allowed values.</summary>
    Mention,

    /// <summary>
    /// Whether the test matches a null input is not decided (a <c>?</c> expression whose null result the evaluator
    /// compares with the null input); it matters only when the column's domain holds null.
    /// </summary>
    NullUnknown,
}

internal sealed record TestNote(TestNoteKind Kind, TextSpan Span, string Message, object? Value = null);

/// <summary>Turns a parsed input entry into <see cref="TestSets"/> over a column of one <see cref="ValueKind"/>.</summary>
internal static class TestSemantics
{
    public static TestSets Build(UnaryTest test, ValueKind kind, List<TestNote> notes)
    {
        switch (test)
        {
            case AnyTest:
                return TestSets.Exact(ValueSet.Universe(kind), ValueSet.Empty(kind));
            case DisjunctionTest disjunction:
            {
                var result = Build(disjunction.Tests[0], kind, notes);
                for (var i = 1; i < disjunction.Tests.Count; i++)
                {
                    result = result.Or(Build(disjunction.Tests[i], kind, notes));
                }

                return result;
            }

            case NegatedTest negated:
                return Build(negated.Test, kind, notes).Negate();
            case ComparisonTest comparison:
                return Comparison(comparison, kind, notes);
            case RangeTest range:
                return Range(range, kind, notes);
            case ExpressionTest expression:
            {
                // For a null input "? > 5" is null, which the evaluator then compares with the null input (equal), so
                // whether such a cell matches null is left open rather than guessed.
                var sets = Expression(expression.Expression, kind, notes);
                notes.Add(new TestNote(TestNoteKind.NullUnknown, expression.Span, "whether a test on '?' matches a null input is not analysed"));
                return new TestSets(sets.TrueUnder.WithNull(false), sets.TrueOver.WithNull(true), sets.FalseUnder.WithNull(false), sets.FalseOver.WithNull(true));
            }

            default:
                notes.Add(new TestNote(TestNoteKind.Unknown, test.Span, $"the test {test.GetType().Name} is not analysed"));
                return TestSets.Unknown(kind);
        }
    }

    /// <summary>
    /// A test written as an expression. Exact where it reduces to the plain tests: a list of constants (the input is
    /// one of them, the same as <c>"a","b"</c>), and comparisons, <c>in</c> and <c>between</c> of <c>?</c> with
    /// constants, combined with <c>and</c>, <c>or</c> and <c>not</c>. Anything else (a list-valued input, <c>some</c>,
    /// function calls, names) depends on values only known when the table runs, so it is unknown.
    /// </summary>
    private static TestSets Expression(FeelExpression expression, ValueKind kind, List<TestNote> notes)
    {
        switch (expression)
        {
            case FeelListLiteral list:
                return Membership(list, kind, notes);

            case FeelIn { Value: FeelInputValue } membership when kind != ValueKind.Flag:
                return Build(membership.Test, kind, notes);
            case FeelBetween { Value: FeelInputValue } between when kind != ValueKind.Flag:
                return Range(new RangeTest(between.Low, true, between.High, true, between.Span), kind, notes);
            case FeelBinary { Operator: FeelBinaryOperator.And or FeelBinaryOperator.Or } logic when kind != ValueKind.Flag:
            {
                var (left, right) = (Expression(logic.Left, kind, notes), Expression(logic.Right, kind, notes));
                return logic.Operator == FeelBinaryOperator.And ? left.And(right) : left.Or(right);
            }

            case FeelNot not when kind != ValueKind.Flag:
                return Expression(not.Operand, kind, notes).Negate();
            case FeelBinary binary when kind != ValueKind.Flag && ComparisonOf(binary) is { } comparison:
                return Comparison(comparison, kind, notes);
            case FeelBinary or FeelIn or FeelBetween or FeelNot when kind == ValueKind.Flag:
                // "? = true" on a boolean input: DMN tools differ on whether a false result is compared with the input.
                notes.Add(new TestNote(TestNoteKind.Unknown, expression.Span, "a boolean expression over a boolean input is not analysed"));
                return TestSets.Unknown(kind);
            default:
                notes.Add(new TestNote(TestNoteKind.Unknown, expression.Span, Unsupported(expression)));
                return TestSets.Unknown(kind);
        }
    }

    /// <summary>
    /// <c>["a", "b"]</c>: true when the input equals an item, otherwise false (never null: an item of another type simply
    /// is not the input). <c>[]</c> matches nothing.
    /// </summary>
    private static TestSets Membership(FeelListLiteral list, ValueKind kind, List<TestNote> notes)
    {
        var (universe, nonNull, nothing, nullOnly) =
            (ValueSet.Universe(kind), ValueSet.NonNull(kind), ValueSet.Empty(kind), ValueSet.NullOnly(kind));
        var result = TestSets.Exact(nothing, universe);
        foreach (var item in list.Items)
        {
            TestSets one;
            if (!TryConstant(item, out var value, out var why))
            {
                notes.Add(new TestNote(TestNoteKind.Unknown, item.Span, why));
                one = TestSets.Unknown(kind);
            }
            else if (value is null)
            {
                one = TestSets.Exact(nullOnly, nonNull);
            }
            else if (ValueKinds.Of(value) is var valueKind && valueKind != kind)
            {
                notes.Add(new TestNote(TestNoteKind.TypeMismatch, item.Span,
                    $"{ValueKinds.Format(value)} is a {ValueKinds.Name(valueKind ?? ValueKind.Any)}, not a {ValueKinds.Name(kind)}", value));
                one = TestSets.Exact(nothing, universe);
            }
            else
            {
                notes.Add(new TestNote(TestNoteKind.Mention, item.Span, "", value));
                var point = ValueSet.Of(kind, value);
                one = TestSets.Exact(point, universe.Subtract(point));
            }

            result = result.Or(one);
        }

        return result;
    }

    /// <summary><c>? &lt; 10</c> or <c>10 &gt; ?</c> as the comparison test <c>&lt; 10</c>.</summary>
    private static ComparisonTest? ComparisonOf(FeelBinary binary)
    {
        ComparisonOperator? op = binary.Operator switch
        {
            FeelBinaryOperator.Equal => ComparisonOperator.Equal,
            FeelBinaryOperator.NotEqual => ComparisonOperator.NotEqual,
            FeelBinaryOperator.Less => ComparisonOperator.Less,
            FeelBinaryOperator.LessOrEqual => ComparisonOperator.LessOrEqual,
            FeelBinaryOperator.Greater => ComparisonOperator.Greater,
            FeelBinaryOperator.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
            _ => null,
        };
        if (op is not { } o || (binary.Left is FeelInputValue) == (binary.Right is FeelInputValue))
        {
            return null;
        }

        if (binary.Left is FeelInputValue)
        {
            return new ComparisonTest(o, binary.Right, binary.Span);
        }

        var flipped = o switch
        {
            ComparisonOperator.Less => ComparisonOperator.Greater,
            ComparisonOperator.LessOrEqual => ComparisonOperator.GreaterOrEqual,
            ComparisonOperator.Greater => ComparisonOperator.Less,
            ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
            _ => o,
        };
        return new ComparisonTest(flipped, binary.Left, binary.Span);
    }

    private static string Unsupported(FeelExpression expression) => expression switch
    {
        FeelName name => $"it tests against '{name.Name}', whose value (a single value or a list) is only known when the table runs",
        FeelPath path => $"it tests against '{PathText(path)}', whose value is only known when the table runs",
        FeelQuantified quantified => $"'{(quantified.Every ? "every" : "some")} … satisfies' depends on a list only known when the table runs",
        FeelFunctionCall call => $"it calls {call.Function}(…), which the analysis does not model",
        FeelFilter => "it filters a list, which the analysis does not model",
        FeelIn or FeelBetween or FeelBinary => "it compares values other than the input with each other",
        _ => "the expression is not one the analysis reduces to a set of values",
    };

    /// <summary>The values an expression test compares the input with (for inferring an untyped column's type).</summary>
    public static IEnumerable<UnaryTest> Operands(FeelExpression expression) => expression switch
    {
        FeelListLiteral list => [new ComparisonTest(ComparisonOperator.Equal, list, list.Span)],
        FeelIn { Value: FeelInputValue } membership => [membership.Test],
        FeelBetween { Value: FeelInputValue } between => [new RangeTest(between.Low, true, between.High, true, between.Span)],
        FeelBinary { Operator: FeelBinaryOperator.And or FeelBinaryOperator.Or } logic => Operands(logic.Left).Concat(Operands(logic.Right)),
        FeelNot not => Operands(not.Operand),
        FeelBinary binary when ComparisonOf(binary) is { } comparison => [comparison],
        _ => [],
    };

    private static string PathText(FeelExpression expression) => expression switch
    {
        FeelName name => name.Name,
        FeelPath path => $"{PathText(path.Target)}.{path.Member}",
        _ => "…",
    };

    private static TestSets Comparison(ComparisonTest test, ValueKind kind, List<TestNote> notes)
    {
        var (universe, nonNull, nothing, nullOnly) =
            (ValueSet.Universe(kind), ValueSet.NonNull(kind), ValueSet.Empty(kind), ValueSet.NullOnly(kind));
        if (test.Value is FeelListLiteral list)
        {
            // A list-valued entry, ["a", "b"]: the input must be one of the items (DMN 1.3).
            if (test.Operator == ComparisonOperator.Equal)
            {
                return Membership(list, kind, notes);
            }

            notes.Add(new TestNote(TestNoteKind.Unknown, test.Span, "comparisons with a list other than membership are not analysed"));
            return TestSets.Unknown(kind);
        }

        if (!TryConstant(test.Value, out var value, out var why))
        {
            notes.Add(new TestNote(TestNoteKind.Unknown, test.Value.Span, why));
            return TestSets.Unknown(kind);
        }

        var op = test.Operator;
        var ordering = op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual);
        if (value is null)
        {
            // null = null is true and null = x false; ordering against null is null for every input.
            return op switch
            {
                ComparisonOperator.Equal => TestSets.Exact(nullOnly, nonNull),
                ComparisonOperator.NotEqual => TestSets.Exact(nonNull, nullOnly),
                _ => TestSets.Exact(nothing, nothing),
            };
        }

        var valueKind = ValueKinds.Of(value);
        if (valueKind != kind || (ordering && !ValueKinds.IsOrdered(kind)))
        {
            if (kind == ValueKind.Text && valueKind == ValueKind.Text)
            {
                // Strings are ordered in FEEL, but the analysis keeps finite and co-finite string sets only.
                notes.Add(new TestNote(TestNoteKind.Unknown, test.Span, "ordering comparisons of strings are not analysed"));
                return TestSets.Unknown(kind);
            }

            notes.Add(new TestNote(TestNoteKind.TypeMismatch, test.Value.Span, valueKind == kind
                ? $"{ValueKinds.Name(kind)} values have no order, so {ValueKinds.Format(value)} cannot be compared with < or >"
                : $"{ValueKinds.Format(value)} is a {ValueKinds.Name(valueKind ?? ValueKind.Any)}, not a {ValueKinds.Name(kind)}", value));

            // Comparing values of different types is null, except that equality with a null input is plainly false.
            return op switch
            {
                ComparisonOperator.Equal => TestSets.Exact(nothing, nullOnly),
                ComparisonOperator.NotEqual => TestSets.Exact(nullOnly, nothing),
                _ => TestSets.Exact(nothing, nothing),
            };
        }

        if (!ordering)
        {
            notes.Add(new TestNote(TestNoteKind.Mention, test.Value.Span, "", value));
            var point = ValueSet.Of(kind, value);
            var rest = universe.Subtract(point);
            return op == ComparisonOperator.Equal ? TestSets.Exact(point, rest) : TestSets.Exact(rest, point);
        }

        var key = ValueKinds.Key(kind, value);
        var whenTrue = op switch
        {
            ComparisonOperator.Less => ValueSet.Range(kind, Bound.Unbounded, Bound.At(key, false)),
            ComparisonOperator.LessOrEqual => ValueSet.Range(kind, Bound.Unbounded, Bound.At(key, true)),
            ComparisonOperator.Greater => ValueSet.Range(kind, Bound.At(key, false), Bound.Unbounded),
            _ => ValueSet.Range(kind, Bound.At(key, true), Bound.Unbounded),
        };
        return TestSets.Exact(whenTrue, nonNull.Subtract(whenTrue));
    }

    private static TestSets Range(RangeTest test, ValueKind kind, List<TestNote> notes)
    {
        var nothing = ValueSet.Empty(kind);
        if (!TryConstant(test.Start, out var low, out var whyLow))
        {
            notes.Add(new TestNote(TestNoteKind.Unknown, test.Start.Span, whyLow));
            return TestSets.Unknown(kind);
        }

        if (!TryConstant(test.End, out var high, out var whyHigh))
        {
            notes.Add(new TestNote(TestNoteKind.Unknown, test.End.Span, whyHigh));
            return TestSets.Unknown(kind);
        }

        if (low is null || high is null)
        {
            // A range with a null end compares with null: null for every input.
            return TestSets.Exact(nothing, nothing);
        }

        if (kind == ValueKind.Text && ValueKinds.Of(low) == kind && ValueKinds.Of(high) == kind)
        {
            notes.Add(new TestNote(TestNoteKind.Unknown, test.Span, "ranges of strings are not analysed"));
            return TestSets.Unknown(kind);
        }

        var mismatch = false;
        foreach (var (end, span) in new[] { (low, test.Start.Span), (high, test.End.Span) })
        {
            var endKind = ValueKinds.Of(end);
            if (endKind != kind || !ValueKinds.IsOrdered(kind))
            {
                mismatch = true;
                notes.Add(new TestNote(TestNoteKind.TypeMismatch, span, endKind == kind
                    ? $"{ValueKinds.Name(kind)} values have no order, so they cannot be tested with a range"
                    : $"{ValueKinds.Format(end)} is a {ValueKinds.Name(endKind ?? ValueKind.Any)}, not a {ValueKinds.Name(kind)}", end));
            }
            else
            {
                notes.Add(new TestNote(TestNoteKind.Mention, span, "", end));
            }
        }

        if (mismatch)
        {
            return TestSets.Exact(nothing, nothing);
        }

        var whenTrue = ValueSet.Range(kind, Bound.At(ValueKinds.Key(kind, low), test.StartIncluded), Bound.At(ValueKinds.Key(kind, high), test.EndIncluded));
        return TestSets.Exact(whenTrue, ValueSet.NonNull(kind).Subtract(whenTrue));
    }

    /// <summary>
    /// Folds an endpoint to a constant: literals (the parser already folds <c>-5</c> and <c>date("…")</c>),
    /// negation, number arithmetic and string concatenation. Anything naming a variable is not constant.
    /// </summary>
    public static bool TryConstant(FeelExpression expression, out object? value, out string why)
    {
        value = null;
        why = "";
        switch (expression)
        {
            case FeelLiteral literal:
                value = literal.Value;
                return true;
            case FeelName name:
                why = $"it compares with '{name.Name}', whose value is only known when the table runs";
                return false;
            case FeelPath path:
                why = $"it compares with '{PathText(path)}', whose value is only known when the table runs";
                return false;
            case FeelInputValue:
                why = "it compares the input with itself";
                return false;
            case FeelNegation negation:
                if (!TryConstant(negation.Operand, out var operand, out why))
                {
                    return false;
                }

                value = operand switch
                {
                    decimal d => -d,
                    TimeSpan t => t.Negate(),
                    YearsMonthsDuration m => new YearsMonthsDuration(-m.TotalMonths),
                    _ => null,
                };
                return true;
            case FeelBinary { Operator: FeelBinaryOperator.Add or FeelBinaryOperator.Subtract or FeelBinaryOperator.Multiply or FeelBinaryOperator.Divide } binary:
                if (!TryConstant(binary.Left, out var left, out why) || !TryConstant(binary.Right, out var right, out why))
                {
                    return false;
                }

                switch (left, right, binary.Operator)
                {
                    case (decimal a, decimal b, _):
                        try
                        {
                            value = binary.Operator switch
                            {
                                FeelBinaryOperator.Add => a + b,
                                FeelBinaryOperator.Subtract => a - b,
                                FeelBinaryOperator.Multiply => a * b,
                                _ => b == 0m ? null : a / b,
                            };
                        }
                        catch (OverflowException)
                        {
                            value = null;
                        }

                        return true;
                    case (string a, string b, FeelBinaryOperator.Add):
                        value = a + b;
                        return true;
                    case (null, _, _) or (_, null, _):
                        return true;
                }

                why = "it computes with dates, times or durations, which the analysis does not fold";
                return false;
            default:
                why = "it is an expression the analysis does not fold to a constant";
                return false;
        }
    }
}
