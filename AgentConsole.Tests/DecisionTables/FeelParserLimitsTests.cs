using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>
/// Nesting and length limits. Before them, tens of thousands of '(' or '-' in one cell ended the whole process with a
/// stack overflow when the decision was compiled; these texts must come back as positioned errors instead.
/// </summary>
public sealed class FeelParserLimitsTests
{
    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static FeelSyntaxError LimitError<T>(FeelParseResult<T> result)
        where T : class
    {
        Assert.False(result.Success);
        Assert.True(result.Error!.ExceedsLimit, result.Error.ToString());
        return result.Error;
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(1_000)]
    public void ParseExpression_ReturnsALimitError_ForDeepParentheses(int depth)
    {
        var text = Repeat("(", depth) + "1" + Repeat(")", depth);

        var error = LimitError(FeelParser.ParseExpression(text));

        Assert.Contains(depth * 2 + 1 > FeelParser.MaxTextLength ? "characters long" : "nests more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseExpression_NamesTheFirstParenthesisPastTheLimit()
    {
        var text = Repeat("(", 1_000) + "x" + Repeat(")", 1_000);

        var error = LimitError(FeelParser.ParseExpression(text));

        // The whole expression is level 1, so the parenthesis at offset MaxDepth - 1 opens level MaxDepth + 1.
        Assert.Equal(FeelParser.MaxDepth - 1, error.Offset);
        Assert.Equal((1, FeelParser.MaxDepth), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("-")]
    [InlineData("- ")]
    [InlineData("not(")]
    [InlineData("-(")]
    public void ParseExpression_ReturnsALimitError_ForLongUnaryChains(string prefix)
    {
        var count = Math.Min(3_000, (FeelParser.MaxTextLength - 1) / prefix.Length);
        var text = Repeat(prefix, count) + "x" + Repeat(")", prefix.Count(c => c == '(') * count);

        LimitError(FeelParser.ParseExpression(text));
    }

    [Theory]
    [InlineData(" + ")]
    [InlineData(" * ")]
    [InlineData(" ** ")]
    [InlineData(" and ")]
    public void ParseExpression_ReturnsALimitError_ForOperatorChainsDeeperThanTheLimit(string op)
    {
        var text = "x" + Repeat(op + "x", 1_000);

        var error = LimitError(FeelParser.ParseExpression(text));

        Assert.InRange(error.Offset, 0, text.Length - 1);
    }

    [Fact]
    public void ParseUnaryTests_ReturnsALimitError_ForDeepRangeEndpoints()
    {
        var text = "[" + Repeat("(", 2_000) + "1" + Repeat(")", 2_000) + "..5]";

        LimitError(FeelParser.ParseUnaryTests(text));
    }

    [Fact]
    public void Parse_ReturnsALimitError_ForTextLongerThanTheLimit()
    {
        var text = "\"" + new string('a', FeelParser.MaxTextLength) + "\"";

        var error = LimitError(FeelParser.ParseUnaryTests(text));

        Assert.Equal(FeelParser.MaxTextLength, error.Offset);
        Assert.Contains($"at most {FeelParser.MaxTextLength:N0}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AcceptsNestingJustBelowTheLimit_AndTheResultEvaluates()
    {
        var depth = FeelParser.MaxDepth - 1;
        var parenthesised = Repeat("(", depth - 1) + "x" + Repeat(")", depth - 1);
        var negated = Repeat("-", depth - 1) + "x";
        var chain = "x" + Repeat(" + x", depth - 1);

        foreach (var text in new[] { parenthesised, negated, chain })
        {
            var parsed = FeelParser.ParseExpression(text);
            Assert.True(parsed.Success, parsed.Error?.ToString());
            var value = FeelCompiler.Compile(parsed.Value!, _ => 0)([FeelValue.FromNumber(2m)]);
            Assert.Equal(FeelKind.Number, value.Kind);
        }
    }

    [Fact]
    public void Parse_KeepsAnOrdinarySyntaxError_OutsideTheLimits()
    {
        var error = FeelParser.ParseExpression("(1 + ").Error!;

        Assert.False(error.ExceedsLimit);
    }

    [Fact]
    public void Check_NamesDecisionRuleColumnAndCharacter_ForEachTextPastTheLimits()
    {
        var table = new DecisionTableDefinition
        {
            Name = "Routing",
            Inputs = [new DecisionInput { Expression = "employees" }, new DecisionInput { Expression = "industry" }],
            Outputs = [new DecisionOutput { Name = "route" }],
            Rules =
            [
                new DecisionRule { Id = "r1", InputEntries = ["< 10", "-"], OutputEntries = ["\"small\""] },
                new DecisionRule { Id = "r2", InputEntries = ["-", Repeat("(", 500) + "1" + Repeat(")", 500)], OutputEntries = ["\"deep\""] },
                new DecisionRule { Id = "r3", InputEntries = ["-", "(1 +"], OutputEntries = [Repeat("-", 400) + "employees"] },
            ],
        };

        var errors = DecisionLimits.Check(new DmnModel { Name = "m", Decisions = [table] });

        Assert.Equal(2, errors.Count);
        Assert.Equal((DecisionPart.InputEntry, 1, "r2", 1), (errors[0].Part, errors[0].RuleIndex, errors[0].RuleId, errors[0].ColumnIndex));
        Assert.Equal((DecisionPart.OutputEntry, 2, "r3", 0), (errors[1].Part, errors[1].RuleIndex, errors[1].RuleId, errors[1].ColumnIndex));
        Assert.StartsWith("decision 'Routing', rule 2 (r2), input 2: Input entry: The expression nests more than", errors[0].ToString(), StringComparison.Ordinal);
        Assert.EndsWith($"(line 1, column {errors[0].Syntax!.Offset + 1})", errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_ReturnsACompileError_ForAStoredDecisionPastTheLimits()
    {
        // A decision stored before the limits existed: compiling it must fail cleanly, not end the process.
        await using var db = await Persistence.TestDatabase.CreateAsync();
        var catalog = db.Get<DecisionCatalog>();
        var model = new DmnModel
        {
            Name = "legacy",
            Decisions = [new LiteralExpressionDecision { Name = "Legacy", Expression = Repeat("-", 8_000) + "x" }],
        };
        var stored = await catalog.CreateAsync(model, "test");

        var evaluation = await new DecisionWorkbench(catalog, new Engine.Evaluations.PublishGate(db.Contexts)).EvaluateAsync(stored.Decision.Key, new Dictionary<string, object?> { ["x"] = 1m });

        Assert.NotNull(evaluation!.Result.Error);
        Assert.Contains("nests more than", evaluation.Result.Error.Message, StringComparison.Ordinal);
    }
}
