namespace AgentConsole.Engine.DecisionTables;

/// <summary>A range of characters within one cell's text; offsets are zero-based.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);
}

/// <summary>An S-FEEL expression: output entries, input expressions, literal-expression decisions and test endpoints.</summary>
public abstract record FeelExpression(TextSpan Span);

/// <summary>
/// A constant. <see cref="Value"/> is null, <see cref="decimal"/>, <see cref="string"/>, <see cref="bool"/>,
/// <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, <see cref="TimeOnly"/>, <see cref="TimeSpan"/>
/// (days and time duration) or <see cref="DecisionTables.YearsMonthsDuration"/>.
/// Conversion calls with a literal argument, such as <c>date("2026-01-01")</c>, are folded into literals by the parser.
/// </summary>
public sealed record FeelLiteral(object? Value, TextSpan Span) : FeelExpression(Span);

public static class FeelExpressionExtensions
{
    /// <summary>
    /// Computes an expression that uses no names, such as <c>-5</c>, <c>2 * 12</c> or <c>date("2026-01-01") + duration("P1D")</c>,
    /// with FEEL semantics; the value has the same CLR types as <see cref="FeelLiteral.Value"/>.
    /// </summary>
    public static bool TryGetConstant(this FeelExpression expression, out object? value)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (FeelCompiler.TryConstant(expression, out var feel))
        {
            value = feel.ToClr();
            return true;
        }

        value = null;
        return false;
    }
}

/// <summary>A reference to an input, input data or decision by its (possibly multi-word) name.</summary>
public sealed record FeelName(string Name, TextSpan Span) : FeelExpression(Span);

/// <summary>Arithmetic negation, <c>-x</c>.</summary>
public sealed record FeelNegation(FeelExpression Operand, TextSpan Span) : FeelExpression(Span);

/// <summary>The <c>not(x)</c> function of FEEL's three-valued logic.</summary>
public sealed record FeelNot(FeelExpression Operand, TextSpan Span) : FeelExpression(Span);

public sealed record FeelBinary(FeelBinaryOperator Operator, FeelExpression Left, FeelExpression Right, TextSpan Span) : FeelExpression(Span);

/// <summary>
/// A built-in conversion whose argument is not a literal: <c>date</c>, <c>time</c>, <c>date and time</c> or <c>duration</c>.
/// </summary>
public sealed record FeelFunctionCall(string Function, EquatableArray<FeelExpression> Arguments, TextSpan Span) : FeelExpression(Span);

public enum FeelBinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
}

/// <summary>An S-FEEL unary test: the content of an input entry, tested against the input column's value.</summary>
public abstract record UnaryTest(TextSpan Span);

/// <summary><c>-</c>: matches every value, null included.</summary>
public sealed record AnyTest(TextSpan Span) : UnaryTest(Span);

/// <summary>
/// <c>&lt; 10</c>, <c>&gt;= 18</c>, <c>!= "x"</c>; a bare value such as <c>"SMB"</c> or <c>null</c> is an <see cref="ComparisonOperator.Equal"/> test.
/// </summary>
public sealed record ComparisonTest(ComparisonOperator Operator, FeelExpression Value, TextSpan Span) : UnaryTest(Span);

/// <summary><c>[11..500]</c>, <c>(1..5]</c>, <c>]1..5[</c>: an interval with included or excluded ends.</summary>
public sealed record RangeTest(FeelExpression Start, bool StartIncluded, FeelExpression End, bool EndIncluded, TextSpan Span) : UnaryTest(Span);

/// <summary><c>"SMB","Mid"</c>: matches when any of the tests matches. Always has two or more tests.</summary>
public sealed record DisjunctionTest(EquatableArray<UnaryTest> Tests, TextSpan Span) : UnaryTest(Span);

/// <summary><c>not("X")</c>: matches when the inner test is false (not when it is null).</summary>
public sealed record NegatedTest(UnaryTest Test, TextSpan Span) : UnaryTest(Span);

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>A parse error with its position in the cell: zero-based offset, one-based line and column.</summary>
public sealed record FeelSyntaxError(string Message, int Offset, int Length, int Line, int Column)
{
    /// <summary>
    /// True when the text is longer or nests deeper than <see cref="FeelParser"/> accepts, which a draft may not hold
    /// (an ordinary syntax error may stay in a draft while it is being edited).
    /// </summary>
    public bool ExceedsLimit { get; init; }

    public override string ToString() => $"{Message} (line {Line}, column {Column})";
}

public sealed record FeelParseResult<T>(T? Value, FeelSyntaxError? Error)
    where T : class
{
    public bool Success => Error is null;
}
