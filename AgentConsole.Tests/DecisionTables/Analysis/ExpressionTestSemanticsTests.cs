using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>
/// How the analysis reads tests written as expressions (list literals, <c>?</c>, <c>some</c>, calls), built from syntax
/// trees so they do not depend on how the parser spells them.
/// </summary>
public sealed class ExpressionTestSemanticsTests
{
    private static readonly TextSpan At = new(0, 1);

    private static FeelLiteral L(object? value) => new(value, At);

    private static FeelListLiteral List(params FeelExpression[] items) => new([.. items], At);

    private static readonly FeelInputValue Q = new(At);

    private static (TestSets Sets, List<TestNote> Notes) Build(FeelExpression expression, ValueKind kind)
    {
        var notes = new List<TestNote>();
        return (TestSemantics.Build(new ExpressionTest(expression, At), kind, notes), notes);
    }

    [Fact]
    public void ListOfConstants_IsExactlyTheSetOfItems_LikeADisjunction()
    {
        var (sets, notes) = Build(List(L("a"), L("b")), ValueKind.Text);
        var notes2 = new List<TestNote>();
        var disjunction = TestSemantics.Build(FeelParser.ParseUnaryTests("\"a\",\"b\"").Value!, ValueKind.Text, notes2);

        Assert.True(sets.IsExact);
        Assert.Equal(disjunction, sets);
        Assert.True(sets.TrueUnder.Contains("a"));
        Assert.False(sets.TrueOver.Contains("c"));
        Assert.DoesNotContain(notes, n => n.Kind == TestNoteKind.Unknown);
    }

    [Fact]
    public void EmptyList_MatchesNothing()
    {
        var (sets, _) = Build(List(), ValueKind.Number);

        Assert.True(sets.IsExact);
        Assert.True(sets.TrueOver.IsEmpty);
    }

    [Fact]
    public void ListWithAName_IsUnknown_WithTheNameInTheReason()
    {
        var (sets, notes) = Build(List(L(1m), new FeelName("Max Amount", At)), ValueKind.Number);

        Assert.False(sets.IsExact);
        Assert.Contains(notes, n => n.Kind == TestNoteKind.Unknown && n.Message.Contains("'Max Amount'", StringComparison.Ordinal));

        // The constant part still counts as possibly true, so 1 is never reported as a gap.
        Assert.True(sets.TrueOver.Contains(1m));
    }

    [Fact]
    public void ListWithAnItemOfAnotherType_IsATypeError()
    {
        var (_, notes) = Build(List(L("a"), L(5m)), ValueKind.Text);

        Assert.Contains(notes, n => n.Kind == TestNoteKind.TypeMismatch);
    }

    [Fact]
    public void QuestionMarkComparisons_AreExact_InEitherOrder_AndCombineWithAndOrNot()
    {
        var between = new FeelBinary(FeelBinaryOperator.And,
            new FeelBinary(FeelBinaryOperator.Greater, Q, L(3m), At),
            new FeelBinary(FeelBinaryOperator.Greater, L(5m), Q, At), At);
        var (sets, _) = Build(between, ValueKind.Number);
        var expected = TestSemantics.Build(FeelParser.ParseUnaryTests("(3..5)").Value!, ValueKind.Number, []);

        Assert.True(sets.IsExact);
        Assert.Equal(expected.TrueUnder, sets.TrueUnder);

        var (negated, _) = Build(new FeelNot(between, At), ValueKind.Number);
        Assert.Equal(expected.FalseUnder, negated.TrueUnder);
    }

    [Fact]
    public void QuestionMarkIn_AndBetween_AreTheirUnaryTests()
    {
        var inTest = new FeelIn(Q, FeelParser.ParseUnaryTests("[1..5], 9").Value!, At);
        var (sets, _) = Build(inTest, ValueKind.Number);
        Assert.True(sets.IsExact);
        Assert.True(sets.TrueUnder.Contains(9m));
        Assert.False(sets.TrueOver.Contains(6m));

        var (range, _) = Build(new FeelBetween(Q, L(1m), L(5m), At), ValueKind.Number);
        Assert.True(range.TrueUnder.Contains(5m));
        Assert.False(range.TrueOver.Contains(5.5m));
    }

    private static (FeelExpression Expression, string Reason) UnsupportedCase(string what) => what switch
    {
        "list-valued input" => (new FeelName("Allowed Products", At), "'Allowed Products'"),
        "some" => (new FeelQuantified(false, [new FeelIteration("p", new FeelName("Products", At))], new FeelBinary(FeelBinaryOperator.Equal, new FeelName("p", At), Q, At), At), "'some … satisfies'"),
        "count(?) > 2" => (new FeelBinary(FeelBinaryOperator.Greater, new FeelFunctionCall("count", [Q], At), L(2m), At), "compares values other than the input"),
        "starts with" => (new FeelFunctionCall("starts with", [Q, L("A")], At), "calls starts with(…)"),
        _ => (new FeelPath(new FeelName("Lead", At), "limit", At), "'Lead.limit'"),
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

        Assert.False(sets.IsExact, what);
        Assert.True(sets.TrueUnder.IsEmpty);
        Assert.Contains(notes, n => n.Kind == TestNoteKind.Unknown && n.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void BooleanExpressionOverABooleanInput_IsUnknown()
    {
        var (sets, notes) = Build(new FeelBinary(FeelBinaryOperator.Equal, Q, L(true), At), ValueKind.Flag);

        Assert.False(sets.IsExact);
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
