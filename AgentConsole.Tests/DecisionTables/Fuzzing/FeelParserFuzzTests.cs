using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using CsCheck;

namespace AgentConsole.Tests.DecisionTables.Fuzzing;

/// <summary>
/// The parser, compiler and analyzer against random and adversarial text. A stack overflow cannot be caught and ends
/// the test process, so these tests only pass at all because the parser bounds nesting (see <see cref="FeelParser.MaxDepth"/>).
/// </summary>
public sealed class FeelParserFuzzTests
{
    private const int Iterations = 3_000;

    private static readonly FeelNames Names = new(["Age", "Risk Category", "x"]);

    private static readonly string[] SlotNames = ["Age", "Risk Category", "x"];

    [ThreadStatic]
    private static SlotScope? t_scope;

    /// <summary>A scope with the three names, where tests with '?', filters and local names reserve their slots.</summary>
    private static FeelEnv Env()
    {
        t_scope = new SlotScope();
        foreach (var name in SlotNames)
        {
            t_scope.Add(name, null);
        }

        return FeelEnv.For(t_scope);
    }

    private static FeelValue[] Slots(FeelValue[] variables)
    {
        var slots = new FeelValue[Math.Max(t_scope!.SlotCount, variables.Length)];
        variables.CopyTo(slots, 0);
        return slots;
    }

    /// <summary>
    /// Compiles, or returns null when the compiler refuses the text with its own error (an unknown function, a call with
    /// the wrong number of arguments): a reported error, not a crash. Any other exception fails the test.
    /// </summary>
    private static T? TryCompile<T>(Func<T> compile)
        where T : class
    {
        try
        {
            return compile();
        }
        catch (FeelCompileException)
        {
            return null;
        }
    }

    private static void AssertResultOrPositionedError<T>(string text, FeelParseResult<T> result)
        where T : class
    {
        Assert.True(result.Value is null != result.Error is null, "exactly one of a value or an error");
        if (result.Error is { } error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.InRange(error.Offset, 0, text.Length);
            Assert.InRange(error.Length, 0, text.Length - error.Offset);
            Assert.True(error.Line >= 1 && error.Column >= 1, error.ToString());
        }
    }

    [Fact]
    public void ParseExpression_ReturnsAValueOrAPositionedError_ForAnyText()
    {
        FeelFuzzInputs.Any.Sample(text =>
        {
            AssertResultOrPositionedError(text, FeelParser.ParseExpression(text, Names));
            AssertResultOrPositionedError(text, FeelParser.ParseExpression(text));
        }, iter: Iterations);
    }

    [Fact]
    public void ParseUnaryTests_ReturnsAValueOrAPositionedError_ForAnyText()
    {
        FeelFuzzInputs.Any.Sample(text =>
        {
            AssertResultOrPositionedError(text, FeelParser.ParseUnaryTests(text, Names));
            AssertResultOrPositionedError(text, FeelParser.ParseUnaryTests(text));
        }, iter: Iterations);
    }

    [Fact]
    public void EveryAcceptedExpression_CompilesAndEvaluates_WithoutThrowing()
    {
        var slots = new[] { FeelValue.FromNumber(42m), FeelValue.FromString("High"), FeelValue.Null };
        FeelFuzzInputs.Any.Sample(text =>
        {
            if (FeelParser.ParseExpression(text, Names).Value is { } expression)
            {
                if (TryCompile(() => FeelCompiler.Compile(expression, Env())) is { } evaluate)
                {
                    evaluate(Slots(slots));
                }

                expression.TryGetConstant(out _);
                Assert.Equal(expression, FeelParser.ParseExpression(text, Names).Value);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void EveryAcceptedUnaryTest_CompilesAndRuns_WithoutThrowing()
    {
        var slots = new[] { FeelValue.FromNumber(42m), FeelValue.FromString("High"), FeelValue.Null };
        var inputs = new[] { FeelValue.FromNumber(-1m), FeelValue.FromString("a"), FeelValue.Null, FeelValue.FromBoolean(true) };
        FeelFuzzInputs.Any.Sample(text =>
        {
            if (FeelParser.ParseUnaryTests(text, Names).Value is { } test && TryCompile(() => FeelCompiler.CompileTest(test, Env())) is { } run)
            {
                var values = Slots(slots);
                foreach (var input in inputs)
                {
                    run(input, values);
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void CompileAndAnalyze_ReportErrors_ForTablesWithRandomCells()
    {
        Gen.Select(FeelFuzzInputs.Any, FeelFuzzInputs.Any, FeelFuzzInputs.Any).Sample((entry, output, allowed) =>
        {
            var table = new DecisionTableDefinition
            {
                Name = "fuzz",
                HitPolicy = HitPolicy.Unique,
                Inputs = [new DecisionInput { Expression = "Age", TypeRef = FeelType.Number, AllowedValues = allowed }, new DecisionInput { Expression = "x" }],
                Outputs = [new DecisionOutput { Name = "out", DefaultOutputEntry = output }],
                Rules =
                [
                    new DecisionRule { Id = "r1", InputEntries = [entry, "-"], OutputEntries = [output] },
                    new DecisionRule { Id = "r2", InputEntries = ["< 10", entry], OutputEntries = ["\"low\""] },
                ],
            };

            var compilation = CompiledDecisionTable.Compile(table);
            Assert.True(compilation.Success || compilation.Errors.Any());
            DecisionTableAnalyzer.Analyze(table);
            var limits = DecisionLimits.Check(new DmnModel { Name = "fuzz", Decisions = [table] });
            Assert.All(limits, e => Assert.NotNull(e.Syntax));
            if (compilation.Value is { } compiled)
            {
                compiled.Evaluate(new Dictionary<string, object?> { ["Age"] = 12m, ["x"] = "a" });
            }
        }, iter: 1_000);
    }
}
