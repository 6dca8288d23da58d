using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

public sealed class FeelParserTests
{
    private static readonly FeelNames Names = new(["Applicant Age", "Risk Category", "Age", "employees", "industry"]);

    private static UnaryTest Tests(string text)
    {
        var result = FeelParser.ParseUnaryTests(text, Names);
        Assert.True(result.Success, result.Error?.ToString());
        return result.Value!;
    }

    private static FeelExpression Expr(string text)
    {
        var result = FeelParser.ParseExpression(text, Names);
        Assert.True(result.Success, result.Error?.ToString());
        return result.Value!;
    }

    [Fact]
    public void ParseUnaryTests_ReturnsAnyTest_ForDash()
    {
        Assert.IsType<AnyTest>(Tests(" - "));
    }

    [Theory]
    [InlineData("< 10", ComparisonOperator.Less, 10)]
    [InlineData("<=10", ComparisonOperator.LessOrEqual, 10)]
    [InlineData(">= 18", ComparisonOperator.GreaterOrEqual, 18)]
    [InlineData("> -5", ComparisonOperator.Greater, -5)]
    [InlineData("!= 3", ComparisonOperator.NotEqual, 3)]
    [InlineData("= 2.5", ComparisonOperator.Equal, 2.5)]
    [InlineData("42", ComparisonOperator.Equal, 42)]
    public void ParseUnaryTests_ReadsComparison_WithNumberEndpoint(string text, ComparisonOperator op, double value)
    {
        var test = Assert.IsType<ComparisonTest>(Tests(text));

        Assert.Equal(op, test.Operator);
        Assert.Equal((decimal)value, Assert.IsType<FeelLiteral>(test.Value).Value);
    }

    [Theory]
    [InlineData("[11..500]", true, true)]
    [InlineData("(1..5]", false, true)]
    [InlineData("]1..5[", false, false)]
    [InlineData("[1..5)", true, false)]
    [InlineData("[1 .. 5[", true, false)]
    public void ParseUnaryTests_ReadsRange_WithOpenAndClosedEnds(string text, bool startIncluded, bool endIncluded)
    {
        var range = Assert.IsType<RangeTest>(Tests(text));

        Assert.Equal(startIncluded, range.StartIncluded);
        Assert.Equal(endIncluded, range.EndIncluded);
        Assert.IsType<decimal>(((FeelLiteral)range.Start).Value);
        Assert.IsType<decimal>(((FeelLiteral)range.End).Value);
    }

    [Fact]
    public void ParseUnaryTests_ReadsList_OfStringsAndRanges()
    {
        var list = Assert.IsType<DisjunctionTest>(Tests("1, 2, [5..7]"));

        Assert.Equal(3, list.Tests.Count);
        Assert.IsType<RangeTest>(list.Tests[2]);
        var strings = Assert.IsType<DisjunctionTest>(Tests("\"SMB\",\"Mid\""));
        Assert.Equal("Mid", ((FeelLiteral)((ComparisonTest)strings.Tests[1]).Value).Value);
    }

    [Fact]
    public void ParseUnaryTests_ReadsNegation_OfAList()
    {
        var negated = Assert.IsType<NegatedTest>(Tests("not(\"A\", \"B\")"));

        Assert.IsType<DisjunctionTest>(negated.Test);
    }

    [Fact]
    public void ParseUnaryTests_ReadsNull_AsEqualityWithNull()
    {
        var test = Assert.IsType<ComparisonTest>(Tests("null"));

        Assert.Null(Assert.IsType<FeelLiteral>(test.Value).Value);
    }

    [Fact]
    public void ParseUnaryTests_ReadsTemporalLiterals()
    {
        Assert.Equal(new DateOnly(2026, 1, 1), ((FeelLiteral)((ComparisonTest)Tests("< date(\"2026-01-01\")")).Value).Value);
        Assert.Equal(TimeSpan.FromDays(1), ((FeelLiteral)((ComparisonTest)Tests("duration(\"P1D\")")).Value).Value);
        Assert.Equal(new YearsMonthsDuration(14), ((FeelLiteral)((ComparisonTest)Tests(">= duration(\"P1Y2M\")")).Value).Value);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 9, 30, 0, TimeSpan.Zero),
            ((FeelLiteral)((ComparisonTest)Tests("date and time(\"2026-01-01T09:30:00Z\")")).Value).Value);
        Assert.Equal(new TimeOnly(9, 30), ((FeelLiteral)((ComparisonTest)Tests("time(\"09:30:00\")")).Value).Value);
    }

    [Fact]
    public void ParseUnaryTests_ResolvesMultiWordNames_Greedily()
    {
        var test = Assert.IsType<ComparisonTest>(Tests("< Applicant Age"));

        Assert.Equal("Applicant Age", Assert.IsType<FeelName>(test.Value).Name);
    }

    [Fact]
    public void ParseExpression_ReadsStringEscapes()
    {
        Assert.Equal("say \"hi\"\n\u00e9", ((FeelLiteral)Expr("\"say \\\"hi\\\"\\n\\u00e9\"")).Value);
    }

    [Fact]
    public void ParseExpression_AppliesOperatorPrecedence()
    {
        var sum = Assert.IsType<FeelBinary>(Expr("1 + 2 * 3 ** 2"));

        Assert.Equal(FeelBinaryOperator.Add, sum.Operator);
        var product = Assert.IsType<FeelBinary>(sum.Right);
        Assert.Equal(FeelBinaryOperator.Multiply, product.Operator);
        Assert.Equal(FeelBinaryOperator.Power, Assert.IsType<FeelBinary>(product.Right).Operator);
    }

    [Fact]
    public void ParseExpression_ReadsLogic_WithNamesContainingSpaces()
    {
        var or = Assert.IsType<FeelBinary>(Expr("Applicant Age >= 18 and Risk Category = \"Low\" or not(Age < 5)"));

        Assert.Equal(FeelBinaryOperator.Or, or.Operator);
        var and = Assert.IsType<FeelBinary>(or.Left);
        Assert.Equal("Applicant Age", ((FeelName)((FeelBinary)and.Left).Left).Name);
        Assert.IsType<FeelNot>(or.Right);
    }

    [Fact]
    public void ParseExpression_JoinsWords_WhenNamesAreNotKnown()
    {
        var result = FeelParser.ParseExpression("Monthly Income * 12");

        Assert.Equal("Monthly Income", ((FeelName)((FeelBinary)result.Value!).Left).Name);
    }

    [Fact]
    public void ParseExpression_KeepsSpans_ForEachNode()
    {
        var binary = Assert.IsType<FeelBinary>(Expr("Age + 10"));

        Assert.Equal(new TextSpan(0, 3), binary.Left.Span);
        Assert.Equal(new TextSpan(6, 2), binary.Right.Span);
        Assert.Equal(new TextSpan(0, 8), binary.Span);
    }

    [Theory]
    [InlineData("", "empty", 0)]
    [InlineData("[11..500", "']'", 8)]
    [InlineData("11..500", "brackets", 0)]
    [InlineData("\"SMB", "Unterminated", 0)]
    [InlineData("'SMB'", "double quotes", 0)]
    [InlineData(">= 18 and < 30", "range", 6)]
    [InlineData("\"A\" or \"B\"", "comma", 4)]
    [InlineData("< 10 &", "Unexpected character '&'", 5)]
    [InlineData("<", "value", 1)]
    [InlineData("Agee > 3", "Did you mean 'Age'?", 0)]
    [InlineData("\"A\", not(\"B\")", "whole cell", 5)]
    [InlineData("date(\"2026-13-01\")", "not a date", 5)]
    [InlineData("SMB", "double quotes", 0)]
    [InlineData("<> 5", "!=", 0)]
    public void ParseUnaryTests_ReportsError_WithPosition(string text, string messagePart, int offset)
    {
        var result = FeelParser.ParseUnaryTests(text, Names);

        Assert.False(result.Success);
        Assert.Contains(messagePart, result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(offset, result.Error.Offset);
        Assert.Equal(1, result.Error.Line);
        Assert.Equal(offset + 1, result.Error.Column);
    }

    [Fact]
    public void ParseExpression_ReportsLineAndColumn_OnLaterLines()
    {
        var result = FeelParser.ParseExpression("Age +\n  * 2", Names);

        Assert.False(result.Success);
        Assert.Equal(2, result.Error!.Line);
        Assert.Equal(3, result.Error.Column);
        Assert.Equal(8, result.Error.Offset);
    }

    [Theory]
    [InlineData("function(x) x + 1", "not supported")]
    [InlineData("[1..2]", "is a test, not a value")]
    [InlineData("Age instance of number", "not supported")]
    [InlineData("1, 2", "write a list in brackets")]
    public void ParseExpression_ReportsUnsupportedFeel_Clearly(string text, string messagePart)
    {
        var result = FeelParser.ParseExpression(text, Names);

        Assert.False(result.Success);
        Assert.Contains(messagePart, result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Age", true)]
    [InlineData("Applicant Age", true)]
    [InlineData("Approved/Declined", true)]
    [InlineData("Age + 1", false)]
    [InlineData("Age - 1", false)]
    [InlineData("\"x\"", false)]
    [InlineData("a and b", false)]
    public void IsPlainName_RecognisesVariableNames(string text, bool expected)
    {
        Assert.Equal(expected, FeelNames.IsPlainName(text));
    }

    [Fact]
    public void TryGetConstant_ComputesNameFreeExpressions()
    {
        Assert.True(Expr("2 * 12 - 4").TryGetConstant(out var number));
        Assert.Equal(20m, number);
        Assert.True(Expr("date(\"2026-01-31\") + duration(\"P1D\")").TryGetConstant(out var date));
        Assert.Equal(new DateOnly(2026, 2, 1), date);
        Assert.False(Expr("Age + 1").TryGetConstant(out _));
    }

    [Fact]
    public void ForTable_ListsPlainInputNames_AndNamesInComputedInputs()
    {
        var names = FeelNames.ForTable(new DecisionTableDefinition
        {
            Name = "t",
            Inputs = [new DecisionInput { Expression = "Applicant Age" }, new DecisionInput { Expression = "Monthly Income * 12" }],
        });

        Assert.True(names.Contains("Applicant Age"));
        Assert.True(names.Contains("Monthly Income"));
        Assert.Equal(2, names.Names.Count);
    }
}
