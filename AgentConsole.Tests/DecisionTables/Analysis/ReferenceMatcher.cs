using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>
/// A deliberately plain evaluator of unary tests on single values, written from FEEL's rules and independent of the
/// analysis' set arithmetic, so property tests can check the analysis against it.
/// </summary>
internal static class ReferenceMatcher
{
    public enum Tri
    {
        False,
        True,
        Null,
    }

    public static bool Matches(UnaryTest test, object? value) => Evaluate(test, value) == Tri.True;

    public static Tri Evaluate(UnaryTest test, object? value)
    {
        switch (test)
        {
            case AnyTest:
                return Tri.True;
            case ComparisonTest comparison:
            {
                var constant = Constant(comparison.Value);
                switch (comparison.Operator)
                {
                    case ComparisonOperator.Equal:
                        return Equal(value, constant);
                    case ComparisonOperator.NotEqual:
                        return Not(Equal(value, constant));
                }

                if (Compare(value, constant) is not { } order)
                {
                    return Tri.Null;
                }

                return comparison.Operator switch
                {
                    ComparisonOperator.Less => order < 0,
                    ComparisonOperator.LessOrEqual => order <= 0,
                    ComparisonOperator.Greater => order > 0,
                    _ => order >= 0,
                } ? Tri.True : Tri.False;
            }

            case RangeTest range:
            {
                if (Compare(value, Constant(range.Start)) is not { } fromLow || Compare(value, Constant(range.End)) is not { } fromHigh)
                {
                    return Tri.Null;
                }

                var inside = (range.StartIncluded ? fromLow >= 0 : fromLow > 0) && (range.EndIncluded ? fromHigh <= 0 : fromHigh < 0);
                return inside ? Tri.True : Tri.False;
            }

            case DisjunctionTest disjunction:
            {
                var result = Tri.False;
                foreach (var inner in disjunction.Tests)
                {
                    var r = Evaluate(inner, value);
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
            }

            case NegatedTest negated:
                return Not(Evaluate(negated.Test, value));
            default:
                throw new NotSupportedException(test.GetType().Name);
        }
    }

    private static object? Constant(FeelExpression expression) =>
        expression is FeelLiteral literal ? literal.Value : throw new NotSupportedException($"Only literals: {expression}");

    private static Tri Not(Tri value) => value switch
    {
        Tri.True => Tri.False,
        Tri.False => Tri.True,
        _ => Tri.Null,
    };

    private static Tri Equal(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null ? Tri.True : Tri.False;
        }

        if (a.GetType() != b.GetType())
        {
            return Tri.Null;
        }

        return a.Equals(b) ? Tri.True : Tri.False;
    }

    private static int? Compare(object? a, object? b) => (a, b) switch
    {
        (decimal x, decimal y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks.CompareTo(y.UtcTicks),
        (TimeOnly x, TimeOnly y) => x.CompareTo(y),
        (TimeSpan x, TimeSpan y) => x.CompareTo(y),
        _ => null,
    };
}
