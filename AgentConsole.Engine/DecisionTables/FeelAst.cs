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
/// A call by name: a built-in function (<c>date(x)</c>, <c>count(list)</c>, <c>sublist(list, 1, 2)</c>) or a business
/// knowledge model of the model (<c>PMT(p, r, n)</c>). With <see cref="ArgumentNames"/> the arguments are named
/// (<c>PMT(p: 1, r: 2, n: 3)</c>); empty means positional.
/// </summary>
public sealed record FeelFunctionCall(string Function, EquatableArray<FeelExpression> Arguments, TextSpan Span) : FeelExpression(Span)
{
    public EquatableArray<string> ArgumentNames { get; init; }
}

/// <summary><c>Applicant.address.country</c>: a component of a context, or of each context of a list.</summary>
public sealed record FeelPath(FeelExpression Target, string Member, TextSpan Span) : FeelExpression(Span);

/// <summary>
/// <c>list[item &gt; 10]</c> or <c>list[2]</c>: the items for which the condition holds (inside it, <c>item</c> and the
/// item's own components are names), or the item at a 1-based (negative: from the end) position.
/// </summary>
public sealed record FeelFilter(FeelExpression Source, FeelExpression Condition, TextSpan Span) : FeelExpression(Span);

/// <summary><c>[1, 2, 3]</c>, <c>[]</c>.</summary>
public sealed record FeelListLiteral(EquatableArray<FeelExpression> Items, TextSpan Span) : FeelExpression(Span);

/// <summary><c>{name: "x", age: 3}</c>: later entries may use earlier ones by name.</summary>
public sealed record FeelContextLiteral(EquatableArray<FeelContextEntry> Entries, TextSpan Span) : FeelExpression(Span);

public sealed record FeelContextEntry(string Key, FeelExpression Value);

/// <summary><c>if c then a else b</c>: <c>b</c> unless <c>c</c> is true.</summary>
public sealed record FeelIf(FeelExpression Condition, FeelExpression Then, FeelExpression Else, TextSpan Span) : FeelExpression(Span);

/// <summary>One <c>name in list</c> of a <c>for</c>, <c>some</c> or <c>every</c>.</summary>
public sealed record FeelIteration(string Variable, FeelExpression Source);

/// <summary><c>some x in list satisfies cond</c> / <c>every x in list satisfies cond</c>.</summary>
public sealed record FeelQuantified(bool Every, EquatableArray<FeelIteration> Iterations, FeelExpression Satisfies, TextSpan Span) : FeelExpression(Span);

/// <summary><c>for x in list return expr</c>.</summary>
public sealed record FeelFor(EquatableArray<FeelIteration> Iterations, FeelExpression Return, TextSpan Span) : FeelExpression(Span);

/// <summary><c>x in [1..5]</c>, <c>x in ("a", "b")</c>, <c>x in list</c>: the unary test applied to a value.</summary>
public sealed record FeelIn(FeelExpression Value, UnaryTest Test, TextSpan Span) : FeelExpression(Span);

/// <summary><c>x between a and b</c>: both ends included.</summary>
public sealed record FeelBetween(FeelExpression Value, FeelExpression Low, FeelExpression High, TextSpan Span) : FeelExpression(Span);

/// <summary><c>?</c> in a unary test: the value under test.</summary>
public sealed record FeelInputValue(TextSpan Span) : FeelExpression(Span);

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

/// <summary>
/// A test written as an expression that uses <c>?</c> (<c>? &gt; Max Amount</c>) or yields a boolean, or a list-valued
/// test (<c>[1, 2, 3]</c>): true when the expression is true, or when the input is in the list it yields.
/// </summary>
public sealed record ExpressionTest(FeelExpression Expression, TextSpan Span) : UnaryTest(Span);

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
