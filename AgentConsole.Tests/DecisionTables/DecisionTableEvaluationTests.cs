using System.Text.Json;
using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

public sealed class DecisionTableEvaluationTests
{
    private static Dictionary<string, object?> In(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    private static DecisionTableDefinition Table(HitPolicy policy, IEnumerable<DecisionInput> inputs, IEnumerable<DecisionOutput> outputs,
        params (string[] In, string[] Out)[] rules) => new()
    {
        Id = "t",
        Name = "Table",
        HitPolicy = policy,
        Inputs = inputs.ToEquatableArray(),
        Outputs = outputs.ToEquatableArray(),
        Rules = rules.Select((r, i) => new DecisionRule { Id = $"r{i + 1}", InputEntries = r.In.ToEquatableArray(), OutputEntries = r.Out.ToEquatableArray() }).ToEquatableArray(),
    };

    private static DecisionInput Number(string name) => new() { Expression = name, TypeRef = FeelType.Number };

    private static DecisionInput Text(string name) => new() { Expression = name, TypeRef = FeelType.String };

    private static DecisionOutput Output(string? name = null, params string[] values) =>
        new() { Name = name, TypeRef = FeelType.String, OutputValues = values.ToEquatableArray() };

    private static CompiledDecisionTable Compile(DecisionTableDefinition table)
    {
        var compilation = CompiledDecisionTable.Compile(table);
        Assert.True(compilation.Success, string.Join("\n", compilation.Diagnostics));
        return compilation.Value!;
    }

    private static DecisionTableDefinition Scores(HitPolicy policy, CollectAggregator aggregator = CollectAggregator.None) =>
        Table(policy, [Number("x")], [new DecisionOutput { Name = "score", TypeRef = FeelType.Number, OutputValues = ["30", "20", "10"] }],
            (["> 0"], ["10"]), (["> 5"], ["30"]), (["> 3"], ["20"]), (["< 0"], ["40"])) with { Aggregator = aggregator };

    [Theory]
    [InlineData(5, "SMB sequence", "lead_route_smb")]
    [InlineData(11, "Mid-market sequence", "lead_route_mid")]
    [InlineData(500, "Mid-market sequence", "lead_route_mid")]
    [InlineData(501, "Human review", "lead_route_review")]
    public void Evaluate_RoutesLeads_ByEmployeeCount(int employees, string route, string ruleId)
    {
        var table = Compile(LeadRoutingTable.Create());

        var result = table.Evaluate(In(("employees", employees), ("industry", "Retail")));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(route, result.Value);
        Assert.Equal([ruleId], result.MatchedRuleIds);
    }

    [Fact]
    public void Evaluate_ReturnsNull_ForTheGuidesGapAtTenEmployees()
    {
        var result = Compile(LeadRoutingTable.Create()).Evaluate(In(("employees", 10m), ("industry", "Retail")));

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value);
        Assert.Empty(result.MatchedRuleIds);
    }

    [Fact]
    public void Evaluate_ReturnsFirstMatch_WhenHitPolicyIsFirst()
    {
        var result = Compile(Scores(HitPolicy.First)).Evaluate(In(("x", 10)));

        Assert.Equal(10m, result.Value);
        Assert.Equal(["r1"], result.MatchedRuleIds);
    }

    [Fact]
    public void Evaluate_ReportsErrorNamingRules_WhenUniqueMatchesSeveral()
    {
        var result = Compile(Scores(HitPolicy.Unique)).Evaluate(In(("x", 10)));

        Assert.False(result.IsSuccess);
        Assert.Equal(DecisionErrorKind.HitPolicyViolation, result.Error!.Kind);
        Assert.Equal(["r1", "r2", "r3"], result.Error.RuleIds);
        Assert.Contains("UNIQUE", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("r2", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReportsError_WhenAnyMatchesDifferentOutputs()
    {
        var result = Compile(Scores(HitPolicy.Any)).Evaluate(In(("x", 10)));

        Assert.Equal(DecisionErrorKind.HitPolicyViolation, result.Error!.Kind);
        Assert.Contains("ANY", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReturnsCommonOutput_WhenAnyMatchesEqualOutputs()
    {
        var table = Table(HitPolicy.Any, [Number("x")], [Output()], (["> 0"], ["\"yes\""]), (["> 1"], ["\"yes\""]));

        var result = Compile(table).Evaluate(In(("x", 5)));

        Assert.Equal("yes", result.Value);
        Assert.Equal(["r1", "r2"], result.MatchedRuleIds);
    }

    [Fact]
    public void Evaluate_ReturnsHighestPriorityOutput_WhenHitPolicyIsPriority()
    {
        var result = Compile(Scores(HitPolicy.Priority)).Evaluate(In(("x", 4)));

        Assert.Equal(20m, result.Value);
        Assert.Equal(["r3"], result.MatchedRuleIds);
    }

    [Fact]
    public void Evaluate_ReturnsAllOutputsInRuleOrder_WhenHitPolicyIsRuleOrder()
    {
        var result = Compile(Scores(HitPolicy.RuleOrder)).Evaluate(In(("x", 10)));

        Assert.Equal([10m, 30m, 20m], Assert.IsAssignableFrom<IReadOnlyList<object?>>(result.Value));
        Assert.Equal(["r1", "r2", "r3"], result.MatchedRuleIds);
    }

    [Fact]
    public void Evaluate_SortsOutputsByOutputValues_WhenHitPolicyIsOutputOrder()
    {
        var result = Compile(Scores(HitPolicy.OutputOrder)).Evaluate(In(("x", 10)));

        Assert.Equal([30m, 20m, 10m], Assert.IsAssignableFrom<IReadOnlyList<object?>>(result.Value));
        Assert.Equal(["r2", "r3", "r1"], result.MatchedRuleIds);
    }

    [Theory]
    [InlineData(CollectAggregator.None, null)]
    [InlineData(CollectAggregator.Sum, 60)]
    [InlineData(CollectAggregator.Min, 10)]
    [InlineData(CollectAggregator.Max, 30)]
    [InlineData(CollectAggregator.Count, 3)]
    public void Evaluate_AggregatesMatches_WhenHitPolicyIsCollect(CollectAggregator aggregator, int? expected)
    {
        var result = Compile(Scores(HitPolicy.Collect, aggregator)).Evaluate(In(("x", 10)));

        Assert.True(result.IsSuccess, result.Error?.Message);
        if (expected is null)
        {
            Assert.Equal([10m, 30m, 20m], Assert.IsAssignableFrom<IReadOnlyList<object?>>(result.Value));
        }
        else
        {
            Assert.Equal((decimal)expected, result.Value);
        }
    }

    [Theory]
    [InlineData(CollectAggregator.Count, 0)]
    [InlineData(CollectAggregator.Sum, null)]
    public void Evaluate_ReturnsEmptyAggregate_WhenCollectMatchesNothing(CollectAggregator aggregator, int? expected)
    {
        var result = Compile(Scores(HitPolicy.Collect, aggregator)).Evaluate(In(("x", 0)));

        Assert.Equal(expected is null ? null : (decimal?)expected, result.Value);
    }

    [Fact]
    public void Evaluate_ReturnsEmptyList_WhenRuleOrderMatchesNothing()
    {
        var result = Compile(Scores(HitPolicy.RuleOrder)).Evaluate(In(("x", 0)));

        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<object?>>(result.Value));
    }

    [Fact]
    public void Evaluate_ReturnsDictionary_ForSeveralOutputs_AndDefaultsWhenNothingMatches()
    {
        var table = Table(HitPolicy.Unique, [Number("age")],
            [Output("status") with { DefaultOutputEntry = "\"Declined\"" }, Output("rate") with { DefaultOutputEntry = "\"Standard\"" }],
            ([">= 18"], ["\"Approved\"", "\"Best\""]));
        var compiled = Compile(table);

        var hit = compiled.Evaluate(In(("age", 30)));
        var miss = compiled.Evaluate(In(("age", 10)));

        var row = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(hit.Value);
        Assert.Equal("Approved", row["status"]);
        Assert.Equal("Best", row["rate"]);
        Assert.True(miss.UsedDefaultOutput);
        Assert.Equal("Declined", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(miss.Value)["status"]);
    }

    [Fact]
    public void Evaluate_TracesEveryCell_WhenTraceIsRequested()
    {
        var result = Compile(LeadRoutingTable.Create()).Evaluate(In(("employees", 42), ("industry", "Retail")), includeTrace: true);

        Assert.Equal(3, result.Trace.Count);
        Assert.Equal([false, true], result.Trace[0].InputMatches);
        Assert.False(result.Trace[0].Matched);
        Assert.Equal([true, true], result.Trace[1].InputMatches);
        Assert.True(result.Trace[1].Matched);
        Assert.Equal([42m, "Retail"], result.InputValues);
    }

    [Theory]
    [InlineData("< 10", false)]
    [InlineData("[1..5]", false)]
    [InlineData("\"A\",\"B\"", false)]
    [InlineData("!= 5", true)] // FEEL: null = 5 is false, so null != 5 is true (the analysis reasons the same way)
    [InlineData("not(< 10)", false)]
    [InlineData("-", true)]
    [InlineData("null", true)]
    [InlineData("not(null)", false)]
    [InlineData("5, null", true)]
    public void Evaluate_MatchesNullInput_OnlyForDashNullAndInequality(string entry, bool matches)
    {
        var table = Table(HitPolicy.First, [new DecisionInput { Expression = "x" }], [Output()], ([entry], ["\"hit\""]));

        var result = Compile(table).Evaluate(In(("x", null)));

        Assert.Equal(matches ? "hit" : null, result.Value);
    }

    [Fact]
    public void Evaluate_NegatedEqualityMatchesNull_AsFeelDefinesIt()
    {
        // FEEL: null = "X" is false, so not("X") is true for a missing value.
        var table = Table(HitPolicy.First, [Text("x")], [Output()], (["not(\"X\")"], ["\"hit\""]));

        Assert.Equal("hit", Compile(table).Evaluate(In(("x", null))).Value);
    }

    [Fact]
    public void Evaluate_TreatsMissingInput_AsNull()
    {
        var result = Compile(LeadRoutingTable.Create()).Evaluate(In());

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData("abc", "'employees' must be a number; got the string \"abc\"")]
    [InlineData(true, "'employees' must be a number; got the boolean true")]
    public void Evaluate_ReportsWrongInputType(object value, string message)
    {
        var result = Compile(LeadRoutingTable.Create()).Evaluate(In(("employees", value), ("industry", "Retail")));

        Assert.Equal(DecisionErrorKind.InvalidInput, result.Error!.Kind);
        Assert.Equal("employees", result.Error.InputName);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReportsWrongType_ForStringInputGivenANumber()
    {
        var result = Compile(LeadRoutingTable.Create()).Evaluate(In(("employees", 3), ("industry", 7)));

        Assert.Contains("'industry' must be a string; got the number 7", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(42)]
    [InlineData(42L)]
    [InlineData(42.0)]
    [InlineData("42")]
    public void Evaluate_CoercesNumericInputs_ToDecimal(object value)
    {
        var result = Compile(LeadRoutingTable.Create()).Evaluate(In(("employees", value), ("industry", "x")), includeTrace: true);

        Assert.Equal("Mid-market sequence", result.Value);
        Assert.Equal(42m, result.InputValues[0]);
    }

    [Fact]
    public void Evaluate_AcceptsJsonElements()
    {
        using var json = JsonDocument.Parse("""{"employees": 900, "industry": "Retail"}""");
        var inputs = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        Assert.Equal("Human review", Compile(LeadRoutingTable.Create()).Evaluate(inputs).Value);
    }

    [Fact]
    public void Evaluate_CoercesDatesAndDurations_PerTypeRef()
    {
        var table = Table(HitPolicy.First,
            [new DecisionInput { Expression = "start", TypeRef = FeelType.Date }, new DecisionInput { Expression = "stamp", TypeRef = FeelType.DateTime },
             new DecisionInput { Expression = "wait", TypeRef = FeelType.DaysTimeDuration }, new DecisionInput { Expression = "term", TypeRef = FeelType.YearsMonthsDuration }],
            [Output()],
            (["[date(\"2026-01-01\")..date(\"2026-12-31\")]", "> date and time(\"2026-01-01T00:00:00Z\")", ">= duration(\"P1D\")", "< duration(\"P2Y\")"], ["\"in\""]));
        var compiled = Compile(table);

        Assert.Equal("in", compiled.Evaluate(In(("start", "2026-06-01"), ("stamp", "2026-03-01T10:00:00+02:00"), ("wait", "PT36H"), ("term", "P1Y6M"))).Value);
        Assert.Equal("in", compiled.Evaluate(In(("start", new DateOnly(2026, 6, 1)), ("stamp", new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc)),
            ("wait", TimeSpan.FromDays(2)), ("term", new YearsMonthsDuration(13)))).Value);
        Assert.Null(compiled.Evaluate(In(("start", "2025-06-01"), ("stamp", "2026-03-01T10:00:00Z"), ("wait", "P3D"), ("term", "P1M"))).Value);
        Assert.Contains("must be a date", compiled.Evaluate(In(("start", "01/06/2026"))).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("years and months duration", compiled.Evaluate(In(("start", "2026-06-01"), ("term", "P3D"))).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RejectsValues_OutsideTheAllowedValues()
    {
        var table = Table(HitPolicy.First, [Text("risk") with { AllowedValues = "\"Low\",\"High\"" }], [Output()], (["-"], ["\"ok\""]));

        var result = Compile(table).Evaluate(In(("risk", "Medium")));

        Assert.Equal(DecisionErrorKind.InvalidInput, result.Error!.Kind);
        Assert.Contains("\"Medium\"", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed values", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ComputesInputExpressions_AndOutputExpressions()
    {
        var table = Table(HitPolicy.First, [new DecisionInput { Expression = "Monthly Income * 12", TypeRef = FeelType.Number }],
            [new DecisionOutput { Name = "limit", TypeRef = FeelType.Number }],
            ([">= 60000"], ["Monthly Income * 3"]), (["-"], ["0"]));
        var compiled = Compile(table);

        Assert.Equal(["Monthly Income"], compiled.InputNames);
        Assert.Equal(18000m, compiled.Evaluate(In(("Monthly Income", 6000m))).Value);
        Assert.Equal(0m, compiled.Evaluate(In(("Monthly Income", 100m))).Value);
    }

    [Fact]
    public void Evaluate_ComparesWithOtherInputs_ByName()
    {
        var table = Table(HitPolicy.First, [Number("Applicant Age"), Number("Minimum Age")], [Output()],
            (["< Minimum Age", "-"], ["\"too young\""]), (["-", "-"], ["\"ok\""]));
        var compiled = Compile(table);

        Assert.Equal("too young", compiled.Evaluate(In(("Applicant Age", 17), ("Minimum Age", 18))).Value);
        Assert.Equal("ok", compiled.Evaluate(In(("Applicant Age", 18), ("Minimum Age", 18))).Value);
    }

    [Fact]
    public void Compile_ReportsEveryBadCell_WithRuleColumnAndPosition()
    {
        var table = Table(HitPolicy.Unique, [Number("x"), Text("y")], [Output()],
            (["[1..5", "-"], ["\"a\""]), (["> 5", "'b'"], ["\"b"]));

        var compilation = CompiledDecisionTable.Compile(table);

        Assert.False(compilation.Success);
        var errors = compilation.Errors.ToList();
        Assert.Equal(3, errors.Count);
        Assert.Equal((0, 0, DecisionPart.InputEntry), (errors[0].RuleIndex!.Value, errors[0].ColumnIndex!.Value, errors[0].Part));
        Assert.Equal(5, errors[0].Syntax!.Offset);
        Assert.Equal((1, 1, DecisionPart.InputEntry), (errors[1].RuleIndex!.Value, errors[1].ColumnIndex!.Value, errors[1].Part));
        Assert.Equal((1, 0, DecisionPart.OutputEntry), (errors[2].RuleIndex!.Value, errors[2].ColumnIndex!.Value, errors[2].Part));
        Assert.Contains("rule 2 (r2)", errors[2].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_RejectsPriority_WithoutOutputValues()
    {
        var table = Table(HitPolicy.Priority, [Number("x")], [Output()], (["-"], ["\"a\""]));

        Assert.Contains(CompiledDecisionTable.Compile(table).Errors, e => e.Message.Contains("output values", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_WarnsAboutOutputs_OutsideTheOutputValues()
    {
        var table = Table(HitPolicy.Unique, [Number("x")], [Output(null, "\"a\"", "\"b\"")], (["-"], ["\"c\""]));

        var compilation = CompiledDecisionTable.Compile(table);

        Assert.True(compilation.Success);
        Assert.Contains(compilation.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning && d.Message.Contains("\"c\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_PropagatesNull_ThroughArithmeticAndLogic()
    {
        var literal = CompiledLiteralExpression.Compile(new LiteralExpressionDecision { Name = "d", Expression = "a + 1 > 2 or b" }).GetValueOrThrow();

        Assert.Null(literal.Evaluate(In(("a", null), ("b", false))).Value);
        Assert.Equal(true, literal.Evaluate(In(("a", null), ("b", true))).Value);
        Assert.Equal(true, literal.Evaluate(In(("a", 5), ("b", null))).Value);
        Assert.Null(literal.Evaluate(In(("a", 1), ("b", null))).Value);
    }

    [Fact]
    public void Evaluate_ComputesLiteralExpression_OverInputData()
    {
        var decision = new LiteralExpressionDecision { Name = "Yearly cost", Expression = "(Monthly Fee * 12 - Discount) ** 1 / 2", TypeRef = FeelType.Number };
        var compiled = CompiledLiteralExpression.Compile(decision,
            [new InputData { Name = "Monthly Fee", TypeRef = FeelType.Number }, new InputData { Name = "Discount", TypeRef = FeelType.Number }]).GetValueOrThrow();

        var result = compiled.Evaluate(In(("Monthly Fee", 100), ("Discount", 200)));

        Assert.Equal(500m, result.Value);
        Assert.Contains("must be a number", compiled.Evaluate(In(("Monthly Fee", "lots"))).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReportsError_WhenLiteralResultHasTheWrongType()
    {
        var decision = new LiteralExpressionDecision { Name = "d", Expression = "\"text\"", TypeRef = FeelType.Number };

        var result = CompiledLiteralExpression.Compile(decision).GetValueOrThrow().Evaluate(In());

        Assert.Equal(DecisionErrorKind.InvalidOutput, result.Error!.Kind);
    }

    [Theory]
    [InlineData("date(\"2026-01-31\") + duration(\"P1M\")", "2026-02-28")]
    [InlineData("date(\"2026-03-01\") - date(\"2026-01-01\")", "P59D")]
    [InlineData("duration(\"P1Y\") + duration(\"P2M\")", "P1Y2M")]
    [InlineData("10 / 4", "2.5")]
    [InlineData("1 / 0", "null")]
    [InlineData("2 ** 10", "1024")]
    [InlineData("-(3 - 5)", "2")]
    [InlineData("\"a\" + \"b\"", "ab")]
    [InlineData("\"a\" < 1", "null")]
    [InlineData("not(true) or null", "null")]
    [InlineData("false and null", "False")]
    public void Evaluate_FollowsFeelArithmetic(string expression, string expected)
    {
        var value = CompiledLiteralExpression.Compile(new LiteralExpressionDecision { Name = "d", Expression = expression })
            .GetValueOrThrow().Evaluate(In()).Value;

        var text = value switch
        {
            null => "null",
            DateOnly d => FeelTemporal.FormatDate(d),
            TimeSpan t => FeelTemporal.FormatDuration(t),
            decimal d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        Assert.Equal(expected, text);
    }

    [Fact]
    public void EvaluateModel_RunsRequiredDecisionsFirst()
    {
        var model = new DmnModel
        {
            Name = "m",
            InputData = [new InputData { Name = "Monthly Income", TypeRef = FeelType.Number }],
            Decisions =
            [
                Table(HitPolicy.Unique, [Number("Yearly Income")], [Output()], (["< 50000"], ["\"low\""]), ([">= 50000"], ["\"high\""])) with { Name = "Band" },
                new LiteralExpressionDecision { Name = "Yearly Income", Expression = "Monthly Income * 12", TypeRef = FeelType.Number },
            ],
        };
        var compiled = CompiledDmnModel.Compile(model).GetValueOrThrow();

        Assert.Equal("high", compiled.Evaluate("Band", In(("Monthly Income", 5000))).Value);
        Assert.Equal(["Monthly Income"], compiled.InputNamesOf("Band"));
        Assert.Equal(DecisionErrorKind.DecisionFailed, compiled.Evaluate("Nope", In()).Error!.Kind);
    }

    [Fact]
    public void CompileModel_ReportsDependencyCycles()
    {
        var model = new DmnModel
        {
            Name = "m",
            Decisions =
            [
                new LiteralExpressionDecision { Name = "A", Expression = "B + 1" },
                new LiteralExpressionDecision { Name = "B", Expression = "A + 1" },
            ],
        };

        Assert.Contains(CompiledDmnModel.Compile(model).Errors, e => e.Message.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_IsSafe_FromManyThreads()
    {
        var table = Compile(LeadRoutingTable.Create());

        Parallel.For(0, 2000, i =>
        {
            var employees = i % 1000;
            var expected = employees < 10 ? "SMB sequence" : employees is >= 11 and <= 500 ? "Mid-market sequence" : employees > 500 ? "Human review" : null;
            Assert.Equal(expected, table.Evaluate(In(("employees", employees), ("industry", "x"))).Value);
        });
    }
}
