using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>
/// How the analysis reads list-valued entries and tests written as expressions (<c>?</c>, <c>some</c>, calls), built from
/// syntax trees so they do not depend on how the parser spells them.
/// </summary>
public sealed class ExpressionTestSemanticsTests
{
    private static readonly TextSpan At = new(0, 1);

    private static readonly FeelInputValue Q = new(At);

    private static FeelLiteral L(object? value) => new(value, At);

    private static FeelListLiteral List(params FeelExpression[] items) => new([.. items], At);

    /// <summary>A list-valued entry as the parser reads <c>["a", "b"]</c>.</summary>
    private static (TestSets Sets, List<TestNote> Notes) Entry(FeelListLiteral list, ValueKind kind)
    {
        var notes = new List<TestNote>();
        return (TestSemantics.Build(new ComparisonTest(ComparisonOperator.Equal, list, At), kind, notes), notes);
    }

    private static (TestSets Sets, List<TestNote> Notes) Build(FeelExpression expression, ValueKind kind)
    {
        var notes = new List<TestNote>();
        return (TestSemantics.Build(new ExpressionTest(expression, At), kind, notes), notes);
    }

    /// <summary>The sets for non-null inputs: whether a '?' test matches null is deliberately left open.</summary>
    private static bool ExactForValues(TestSets sets, ValueKind kind)
    {
        var values = ValueSet.NonNull(kind);
        return sets.TrueUnder.Intersect(values).Equals(sets.TrueOver.Intersect(values))
            && sets.FalseUnder.Intersect(values).Equals(sets.FalseOver.Intersect(values));
    }

    [Fact]
    public void ListOfConstants_IsExactlyTheSetOfItems()
    {
        var (sets, notes) = Entry(List(L("a"), L("b")), ValueKind.Text);
        var disjunction = TestSemantics.Build(FeelParser.ParseUnaryTests("\"a\",\"b\"").Value!, ValueKind.Text, []);

        Assert.True(sets.IsExact);
        Assert.Equal(disjunction.TrueUnder, sets.TrueUnder);
        Assert.True(sets.FalseUnder.Contains(null));
        Assert.DoesNotContain(notes, n => n.Kind == TestNoteKind.Unknown);
    }

    [Fact]
    public void EmptyList_MatchesNothing()
    {
        var (sets, _) = Entry(List(), ValueKind.Number);

        Assert.True(sets.IsExact);
        Assert.True(sets.TrueOver.IsEmpty);
    }

    [Fact]
    public void ListWithAName_IsUnknown_WithTheNameInTheReason()
    {
        var (sets, notes) = Entry(List(L(1m), new FeelName("Max Amount", At)), ValueKind.Number);

        Assert.False(sets.IsExact);
        Assert.Contains(notes, n => n.Kind == TestNoteKind.Unknown && n.Message.Contains("'Max Amount'", StringComparison.Ordinal));

        // The constant item is surely matched; anything else might be.
        Assert.True(sets.TrueUnder.Contains(1m));
        Assert.True(sets.TrueOver.Contains(7m));
    }

    [Fact]
    public void ListWithAnItemOfAnotherType_IsATypeError_ThatNeverMatches_ButStaysFalse()
    {
        var (sets, notes) = Entry(List(L("a"), L(5m)), ValueKind.Text);

        Assert.Contains(notes, n => n.Kind == TestNoteKind.TypeMismatch);
        Assert.True(sets.IsExact);

        // Membership is never null: not(["a", 5]) matches "b", as the evaluator's list membership says.
        Assert.True(sets.Negate().TrueUnder.Contains("b"));
    }

    [Fact]
    public void QuestionMarkComparisons_AreExact_InEitherOrder_AndCombineWithAndOrNot()
    {
        var between = new FeelBinary(FeelBinaryOperator.And,
            new FeelBinary(FeelBinaryOperator.Greater, Q, L(3m), At),
            new FeelBinary(FeelBinaryOperator.Greater, L(5m), Q, At), At);
        var (sets, notes) = Build(between, ValueKind.Number);
        var expected = TestSemantics.Build(FeelParser.ParseUnaryTests("(3..5)").Value!, ValueKind.Number, []);

        Assert.True(ExactForValues(sets, ValueKind.Number));
        Assert.Equal(expected.TrueUnder, sets.TrueUnder);
        Assert.DoesNotContain(notes, n => n.Kind == TestNoteKind.Unknown);

        var (negated, _) = Build(new FeelNot(between, At), ValueKind.Number);
        Assert.Equal(expected.FalseUnder.WithNull(false), negated.TrueUnder);
    }

    [Fact]
    public void QuestionMarkTests_LeaveOnlyNullOpen()
    {
        var (sets, notes) = Build(new FeelBinary(FeelBinaryOperator.Greater, Q, L(3m), At), ValueKind.Number);

        Assert.False(sets.TrueUnder.Contains(null));
        Assert.True(sets.TrueOver.Contains(null));
        Assert.Contains(notes, n => n.Kind == TestNoteKind.NullUnknown);
    }

    [Fact]
    public void QuestionMarkIn_AndBetween_AreTheirUnaryTests()
    {
        var inTest = new FeelIn(Q, FeelParser.ParseUnaryTests("[1..5], 9").Value!, At);
        var (sets, _) = Build(inTest, ValueKind.Number);
        Assert.True(ExactForValues(sets, ValueKind.Number));
        Assert.True(sets.TrueUnder.Contains(9m));
        Assert.False(sets.TrueOver.Contains(6m));

        var (range, _) = Build(new FeelBetween(Q, L(1m), L(5m), At), ValueKind.Number);
        Assert.True(range.TrueUnder.Contains(5m));
        Assert.False(range.TrueOver.Contains(5.5m));
    }

    private static (FeelExpression Expression, string Reason) UnsupportedCase(string what) => what switch
    {
        "list-valued input" => (new FeelBinary(FeelBinaryOperator.Equal, Q, new FeelName("Allowed Products", At), At), "'Allowed Products'"),
        "some" => (new FeelQuantified(false, [new FeelIteration("p", new FeelName("Products", At))], new FeelBinary(FeelBinaryOperator.Equal, new FeelName("p", At), Q, At), At), "'some … satisfies'"),
        "count(?) > 2" => (new FeelBinary(FeelBinaryOperator.Greater, new FeelFunctionCall("count", [Q], At), L(2m), At), "compares values other than the input"),
        "starts with" => (new FeelFunctionCall("starts with", [Q, L("A")], At), "calls starts with(…)"),
        _ => (new FeelBinary(FeelBinaryOperator.Less, Q, new FeelPath(new FeelName("Lead", At), "limit", At), At), "'Lead.limit'"),
    };

    [Theory]
    [InlineData("list-valued input")]
    [InlineData("some")]
    [InlineData("count(?) > 2")]
    [InlineData("starts with")]
    [InlineData("path")]
    public void ExpressionsTheAnalysisDoesNotModel_AreUnknown_WithAReason(string what)
    {
        var (expression, reason) = UnsupportedCase(what);

        var (sets, notes) = Build(expression, ValueKind.Text);

        Assert.False(ExactForValues(sets, ValueKind.Text), what);
        Assert.True(sets.TrueUnder.IsEmpty);
        Assert.Contains(notes, n => n.Kind == TestNoteKind.Unknown && n.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void BooleanExpressionOverABooleanInput_IsUnknown()
    {
        var (sets, notes) = Build(new FeelBinary(FeelBinaryOperator.Equal, Q, L(true), At), ValueKind.Flag);

        Assert.False(ExactForValues(sets, ValueKind.Flag));
        Assert.Contains(notes, n => n.Kind == TestNoteKind.Unknown);
    }

    [Fact]
    public void ComparisonWithAPath_IsUnknown_NamingThePath()
    {
        var notes = new List<TestNote>();
        var sets = TestSemantics.Build(new ComparisonTest(ComparisonOperator.Less, new FeelPath(new FeelName("Lead", At), "limit", At), At), ValueKind.Number, notes);

        Assert.False(sets.IsExact);
        Assert.Contains("compares with 'Lead.limit'", Assert.Single(notes).Message, StringComparison.Ordinal);
    }
}
