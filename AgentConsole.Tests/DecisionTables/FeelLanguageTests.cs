using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>The FEEL beyond S-FEEL that DMN level 2 models use: paths, lists, filters, quantifiers, calls, contexts.</summary>
public sealed class FeelLanguageTests
{
    private static object? Eval(string expression, params (string Name, object? Value)[] inputs)
    {
        var model = new DmnModel
        {
            Name = "m",
            InputData = [.. inputs.Select(i => new InputData { Name = i.Name })],
            Decisions = [new LiteralExpressionDecision { Name = "result", Expression = expression }],
        };
        var compilation = CompiledDmnModel.Compile(model);
        Assert.True(compilation.Success, string.Join("\n", compilation.Diagnostics));
        var result = compilation.Value!.Evaluate("result", inputs.ToDictionary(i => i.Name, i => i.Value));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private static string Show(object? value) => TckValues.Normalize(value);

    [Fact]
    public void LoanPayment_MatchesA50DigitReference_WhenComputedWithDecimalArithmetic()
    {
        var loan = new Dictionary<string, object?> { ["principal"] = 30000m, ["rate"] = 0.0475m, ["termMonths"] = 60m };

        var payment = (decimal)Eval("(loan.principal*loan.rate/12)/(1-(1+loan.rate/12)**-loan.termMonths)", ("loan", loan))!;

        // Python decimal, 50 digits: 562.70735937326592715621432855761049288876712912932
        Assert.Equal(562.707359373265927156m, Math.Round(payment, 18));
    }

    [Theory]
    [InlineData("Applicant.address.country", "\"NL\"")]
    [InlineData("Applicant.age + 1", "42")]
    [InlineData("Applicant.missing", "null")]
    [InlineData("Applicant.address.missing.deeper", "null")]
    public void Path_ReadsNestedComponents(string expression, string expected)
    {
        var applicant = new Dictionary<string, object?>
        {
            ["age"] = 41m,
            ["address"] = new Dictionary<string, object?> { ["country"] = "NL" },
        };

        Assert.Equal(expected, Show(Eval(expression, ("Applicant", applicant))));
    }

    [Theory]
    [InlineData("count(xs)", "4")]
    [InlineData("sum(xs)", "20")]
    [InlineData("min(xs)", "2")]
    [InlineData("max(xs)", "8")]
    [InlineData("max(3, 9, 1)", "9")]
    [InlineData("mean(xs)", "5")]
    [InlineData("all([true, true])", "true")]
    [InlineData("any([false, null, true])", "true")]
    [InlineData("all([true, null])", "null")]
    [InlineData("sublist(xs, 2, 2)", "[4, 6]")]
    [InlineData("sublist(xs, -1)", "[8]")]
    [InlineData("append(xs, 10)", "[2, 4, 6, 8, 10]")]
    [InlineData("concatenate(xs, [1], [])", "[2, 4, 6, 8, 1]")]
    [InlineData("index of([1, 2, 1], 1)", "[1, 3]")]
    [InlineData("distinct values([1, 2, 1, \"a\", \"a\"])", "[1, 2, \"a\"]")]
    [InlineData("xs[item > 4]", "[6, 8]")]
    [InlineData("xs[2]", "4")]
    [InlineData("xs[-1]", "8")]
    [InlineData("list contains(xs, 6)", "true")]
    [InlineData("6 in xs", "true")]
    [InlineData("5 in (1, 5, 9)", "true")]
    [InlineData("5 in [1..4]", "false")]
    [InlineData("some x in xs satisfies x > 7", "true")]
    [InlineData("every x in xs satisfies x > 3", "false")]
    [InlineData("for x in xs return x * 2", "[4, 8, 12, 16]")]
    [InlineData("for i in 1..3 return i", "[1, 2, 3]")]
    [InlineData("if count(xs) > 3 then \"many\" else \"few\"", "\"many\"")]
    [InlineData("5 between 2 and 8", "true")]
    [InlineData("flatten([[1, [2]], 3])", "[1, 2, 3]")]
    [InlineData("reverse(xs)", "[8, 6, 4, 2]")]
    [InlineData("insert before(xs, 1, 0)", "[0, 2, 4, 6, 8]")]
    [InlineData("remove(xs, 2)", "[2, 6, 8]")]
    [InlineData("sum([])", "null")]
    [InlineData("count(7)", "null")]
    public void Lists_FollowFeelSemantics(string expression, string expected)
    {
        Assert.Equal(expected, Show(Eval(expression, ("xs", new List<object?> { 2m, 4m, 6m, 8m }))));
    }

    [Fact]
    public void Filter_ReadsTheItemsComponents_AndPathsMapOverLists()
    {
        var employees = new List<object?>
        {
            new Dictionary<string, object?> { ["name"] = "Ann", ["dept"] = 10m },
            new Dictionary<string, object?> { ["name"] = "Bob", ["dept"] = 20m },
            new Dictionary<string, object?> { ["name"] = "Cid", ["dept"] = 20m },
        };

        Assert.Equal("[\"Bob\", \"Cid\"]", Show(Eval("Employees[dept = 20].name", ("Employees", employees))));
        Assert.Equal("[\"Ann\"]", Show(Eval("Employees[item.dept < 15].name", ("Employees", employees))));
        Assert.Equal("\"BOB\"", Show(Eval("upper case(Employees[name = \"Bob\"].name)", ("Employees", employees))));
    }

    [Fact]
    public void ContextLiteral_LetsLaterEntriesUseEarlierOnes()
    {
        Assert.Equal("{a: 2, b: 3}", Show(Eval("{a: 2, b: a + 1}")));
        Assert.Equal("3", Show(Eval("{a: 2, b: a + 1}.b")));
    }

    [Fact]
    public void KnowledgeModel_IsInvoked_WithPositionalAndNamedArguments()
    {
        var model = new DmnModel
        {
            Name = "pmt",
            InputData = [new InputData { Name = "Amount", TypeRef = FeelType.Number }],
            KnowledgeModels =
            [
                new BusinessKnowledgeModel
                {
                    Name = "Fee",
                    Parameters = [new KnowledgeParameter { Name = "amount", TypeRef = FeelType.Number }, new KnowledgeParameter { Name = "rate" }],
                    Body = new LiteralExpressionDecision { Name = "Fee", Expression = "amount * rate" },
                },
            ],
            Decisions =
            [
                new LiteralExpressionDecision { Name = "positional", Expression = "Fee(Amount, 0.1)" },
                new LiteralExpressionDecision { Name = "named", Expression = "Fee(rate: 0.2, amount: Amount)" },
            ],
        };
        var compiled = CompiledDmnModel.Compile(model);
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        var inputs = new Dictionary<string, object?> { ["Amount"] = 50m };

        Assert.Equal(5.0m, compiled.Value!.Evaluate("positional", inputs).Value);
        Assert.Equal(10.0m, compiled.Value.Evaluate("named", inputs).Value);
    }

    [Theory]
    [InlineData("Fee(1)", "takes 2 arguments (amount, rate); this call gives 1")]
    [InlineData("Fee(1, 2, 3)", "takes 2 arguments (amount, rate); this call gives 3")]
    [InlineData("Fee(amount: 1, size: 2)", "has no parameter named 'size'")]
    [InlineData("Nope(1)", "Unknown function 'Nope'")]
    [InlineData("count(1, 2)", "count() takes 1 argument (list); this call gives 2")]
    public void Call_IsRefusedAtCompile_WhenTheArgumentsDoNotFit(string expression, string message)
    {
        var model = new DmnModel
        {
            Name = "pmt",
            KnowledgeModels =
            [
                new BusinessKnowledgeModel
                {
                    Name = "Fee",
                    Parameters = [new KnowledgeParameter { Name = "amount" }, new KnowledgeParameter { Name = "rate" }],
                    Body = new LiteralExpressionDecision { Name = "Fee", Expression = "amount * rate" },
                },
            ],
            Decisions = [new LiteralExpressionDecision { Name = "d", Expression = expression }],
        };

        var compiled = CompiledDmnModel.Compile(model);

        Assert.False(compiled.Success);
        Assert.Contains(compiled.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void InputEntries_TestListMembership_AndReferToOtherInputs()
    {
        var table = new DecisionTableDefinition
        {
            Name = "check",
            HitPolicy = HitPolicy.First,
            Inputs = [new DecisionInput { Expression = "Product" }, new DecisionInput { Expression = "Amount" }],
            Outputs = [new DecisionOutput { Name = "verdict" }],
            Rules =
            [
                new DecisionRule { Id = "r1", InputEntries = ["Banned", "-"], OutputEntries = ["\"banned\""] },
                new DecisionRule { Id = "r2", InputEntries = ["[\"A\", \"B\"]", "> Max Amount"], OutputEntries = ["\"too much\""] },
                new DecisionRule { Id = "r3", InputEntries = ["-", "? <= Max Amount and ? > 0"], OutputEntries = ["\"ok\""] },
            ],
        };
        var model = new DmnModel
        {
            Name = "m",
            InputData =
            [
                new InputData { Name = "Product" }, new InputData { Name = "Amount" }, new InputData { Name = "Max Amount" }, new InputData { Name = "Banned" },
            ],
            Decisions = [table],
        };
        var compiled = CompiledDmnModel.Compile(model);
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));

        object? Run(string product, decimal amount) => compiled.Value!.Evaluate("check", new Dictionary<string, object?>
        {
            ["Product"] = product, ["Amount"] = amount, ["Max Amount"] = 100m, ["Banned"] = new List<object?> { "X", "Y" },
        }).Value;

        Assert.Equal("banned", Run("Y", 5m));
        Assert.Equal("too much", Run("A", 500m));
        Assert.Equal("ok", Run("C", 50m));
        Assert.Null(Run("C", 500m));
    }

    [Theory]
    [InlineData("[1, 2", "']' to close the list")]
    [InlineData("Loan.", "a component name after '.'")]
    [InlineData("if x then 1", "'else'")]
    [InlineData("for x in xs", "'return'")]
    [InlineData("some x in xs", "'satisfies'")]
    [InlineData("{a: 1, a: 2}", "two entries named 'a'")]
    [InlineData("f(a: 1, 2)", "all named or all positional")]
    [InlineData("[1..5]", "is a test, not a value")]
    public void Parser_GivesPositionedErrors_ForBrokenStructures(string text, string message)
    {
        var parsed = FeelParser.ParseExpression(text);

        Assert.False(parsed.Success);
        Assert.Contains(message, parsed.Error!.Message, StringComparison.Ordinal);
        Assert.InRange(parsed.Error.Offset, 0, text.Length);
    }

    [Fact]
    public void RunawayExpressions_FailWithAMessage_InsteadOfExhaustingMemoryOrTheStack()
    {
        static DecisionResult Run(DmnModel model)
        {
            var compiled = CompiledDmnModel.Compile(model);
            Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
            return compiled.Value!.Evaluate("d", new Dictionary<string, object?>());
        }

        static DmnModel Literal(string expression) => new() { Name = "m", Decisions = [new LiteralExpressionDecision { Name = "d", Expression = expression }] };

        Assert.Contains("1,000,000 steps", Run(Literal("for i in 1..999999, j in 1..999999 return i")).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("1,000,000 steps", Run(Literal("count(for i in 1..2000000 return i)")).Error!.Message, StringComparison.Ordinal);
        Assert.Equal(3m, Run(Literal("count(for i in 1..3 return i)")).Value);

        var recursive = new DmnModel
        {
            Name = "loop",
            KnowledgeModels =
            [
                new BusinessKnowledgeModel
                {
                    Name = "Forever",
                    Parameters = [new KnowledgeParameter { Name = "n" }],
                    Body = new LiteralExpressionDecision { Name = "Forever", Expression = "Forever(n + 1)" },
                },
            ],
            Decisions = [new LiteralExpressionDecision { Name = "d", Expression = "Forever(1)" }],
        };

        Assert.Contains("more than 64 deep", Run(recursive).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompileErrors_ArePositionedInTheCell()
    {
        var model = new DmnModel
        {
            Name = "m",
            InputData = [new InputData { Name = "x" }],
            Decisions = [new LiteralExpressionDecision { Name = "d", Expression = "x + nope(1)" }],
        };

        var error = Assert.Single(CompiledDmnModel.Compile(model).Diagnostics, d => d.Severity == DiagnosticSeverity.Error);

        Assert.Contains("Unknown function 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Syntax!.Offset);
        Assert.Equal(5, error.Syntax.Column);
    }

    [Theory]
    [InlineData("? > 5", 7, true)]
    [InlineData("? > 5", 3, false)]
    [InlineData("? > 5", null, false)]
    [InlineData("? = true", true, true)]
    [InlineData("? = true", false, false)]
    public void QuestionMarkTests_AreTheTruthOfTheirCondition(string entry, object? input, bool matches)
    {
        var table = new DecisionTableDefinition
        {
            Name = "t",
            HitPolicy = HitPolicy.First,
            Inputs = [new DecisionInput { Expression = "x" }],
            Outputs = [new DecisionOutput { Name = "o" }],
            Rules = [new DecisionRule { Id = "r", InputEntries = [entry], OutputEntries = ["\"hit\""] }],
        };
        var compiled = CompiledDmnModel.Compile(new DmnModel { Name = "m", InputData = [new InputData { Name = "x" }], Decisions = [table] });
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));

        var value = input is int n ? (object)(decimal)n : input;
        var result = compiled.Value!.Evaluate("t", new Dictionary<string, object?> { ["x"] = value });

        Assert.Equal(matches ? "hit" : null, result.Value);
    }

    [Fact]
    public void DeeplyNestedCalls_WithAWrongArgumentCount_FailToCompileAtOnce()
    {
        // Each level used to be compiled twice (a constant-folding attempt, then again), 2^depth in all.
        var text = string.Concat(Enumerable.Repeat("abs(", 60)) + "count(1, 2)" + new string(')', 60);
        var model = new DmnModel { Name = "m", Decisions = [new LiteralExpressionDecision { Name = "d", Expression = text }] };

        var compiled = CompiledDmnModel.Compile(model);

        Assert.False(compiled.Success);
        Assert.Contains(compiled.Diagnostics, d => d.Message.Contains("count() takes 1 argument", StringComparison.Ordinal));
    }
}
