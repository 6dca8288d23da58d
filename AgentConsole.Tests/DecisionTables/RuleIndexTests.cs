using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>
/// The fast path matches rules through per-column indexes; the traced path tests every cell one by one.
/// Both must always agree, whatever the cells and inputs.
/// </summary>
public sealed class RuleIndexTests
{
    private static readonly string[] NumberCells =
    [
        "-", "< 10", "<= 10", "> 500", ">= 11", "[11..500]", "(1..5]", "]1..5[", "[1..5)", "10", "!= 10", "not(< 10)", "not([1..5])",
        "1, 2, [5..7]", "null", "not(null)", "-3.5", "[-10..0)", "null, > 100",
    ];

    private static readonly string[] StringCells = ["-", "\"SMB\"", "\"SMB\",\"Mid\"", "not(\"SMB\")", "not(\"SMB\",\"Mid\")", "!= \"Mid\"", "null", "\"Mid\", null"];

    private static readonly string[] BooleanCells = ["-", "true", "false", "null", "not(true)"];

    private static readonly string[] MixedCells = ["-", "\"x\"", "5", "[1..9]", "true", "not(\"x\")", "null", "< date(\"2026-01-01\")"];

    private static readonly object?[] Numbers =
    [
        null, -20m, -3.5m, 0m, 1m, 1.5m, 5m, 7m, 10m, 11m, 100m, 500m, 501m, 9999m,
        // Values that round onto a whole-number point as doubles must still be told apart exactly.
        9.9999999999999999999999999m, 10.0m, 10.000000000000000000000001m, 499.99999999999999999999999m, 500.00000000000000000000001m,
    ];

    private static readonly object?[] Strings = [null, "SMB", "Mid", "Enterprise", ""];

    private static readonly object?[] Booleans = [null, true, false];

    private static readonly object?[] Mixed = [null, "x", "y", 5m, 3m, true, false, new DateOnly(2025, 1, 1), new DateOnly(2027, 1, 1)];

    [Theory]
    [InlineData(1, 12)]
    [InlineData(2, 64)]
    [InlineData(3, 65)]
    [InlineData(4, 150)]
    public void Evaluate_IndexedMatching_AgreesWithCellByCellTrace(int seed, int ruleCount)
    {
        var random = new Random(seed);
        string Pick(string[] cells) => cells[random.Next(cells.Length)];
        var table = new DecisionTableDefinition
        {
            Name = "Random",
            HitPolicy = HitPolicy.RuleOrder,
            Inputs =
            [
                new DecisionInput { Expression = "n", TypeRef = FeelType.Number },
                new DecisionInput { Expression = "s", TypeRef = FeelType.String },
                new DecisionInput { Expression = "b", TypeRef = FeelType.Boolean },
                new DecisionInput { Expression = "u" },
                new DecisionInput { Expression = "v" },
            ],
            Outputs = [new DecisionOutput { Name = "out" }],
            Rules = [.. Enumerable.Range(0, ruleCount).Select(r => new DecisionRule
            {
                Id = $"r{r}",
                InputEntries = [Pick(NumberCells), Pick(StringCells), Pick(BooleanCells), Pick(MixedCells), Pick(NumberCells)],
                OutputEntries = [r % 3 == 0 ? "n" : $"{r}"],
            })],
        };
        var compiled = CompiledDecisionTable.Compile(table).GetValueOrThrow();

        for (var i = 0; i < 3000; i++)
        {
            var inputs = new Dictionary<string, object?>
            {
                ["n"] = Numbers[random.Next(Numbers.Length)],
                ["s"] = Strings[random.Next(Strings.Length)],
                ["b"] = Booleans[random.Next(Booleans.Length)],
                ["u"] = Mixed[random.Next(Mixed.Length)],
                ["v"] = Mixed[random.Next(Mixed.Length)],
            };

            var fast = compiled.Evaluate(inputs);
            var traced = compiled.Evaluate(inputs, includeTrace: true);

            Assert.Equal(traced.MatchedRuleIds, fast.MatchedRuleIds);
            Assert.Equal(traced.Value, fast.Value);
            Assert.Equal(traced.Trace.Where(t => t.Matched).Select(t => t.RuleId), fast.MatchedRuleIds);
        }
    }

    [Fact]
    public void Evaluate_WholeNumberIndex_SeparatesValuesNextToItsPoints()
    {
        var table = new DecisionTableDefinition
        {
            Name = "Bands",
            HitPolicy = HitPolicy.Unique,
            Inputs = [new DecisionInput { Expression = "x", TypeRef = FeelType.Number }],
            Outputs = [new DecisionOutput { Name = "band" }],
            Rules =
            [
                new DecisionRule { Id = "low", InputEntries = ["< 10"], OutputEntries = ["\"low\""] },
                new DecisionRule { Id = "ten", InputEntries = ["10"], OutputEntries = ["\"ten\""] },
                new DecisionRule { Id = "mid", InputEntries = ["(10..500]"], OutputEntries = ["\"mid\""] },
                new DecisionRule { Id = "high", InputEntries = ["> 500"], OutputEntries = ["\"high\""] },
            ],
        };
        var compiled = CompiledDecisionTable.Compile(table).GetValueOrThrow();
        string? Band(decimal x) => (string?)compiled.Evaluate(new Dictionary<string, object?> { ["x"] = x }).Value;

        Assert.Equal("low", Band(9.9999999999999999999999999m));
        Assert.Equal("ten", Band(10.000m));
        Assert.Equal("mid", Band(10.000000000000000000000001m));
        Assert.Equal("mid", Band(500m));
        Assert.Equal("high", Band(500.00000000000000000000001m));
        Assert.Equal("low", Band(-79228162514264337593543950335m));
        Assert.Equal("high", Band(79228162514264337593543950335m));
    }

    [Fact]
    public void Compile_IndexesCellsAtTheEndsOfTheNumberRange_WithoutOverflow()
    {
        // Found by the FEEL fuzz test: points at decimal's limits made the index overflow while picking a value on each
        // side of them (and between two large points).
        const string max = "79228162514264337593543950335";
        var table = new DecisionTableDefinition
        {
            Name = "Extremes",
            HitPolicy = HitPolicy.First,
            Inputs = [new DecisionInput { Expression = "x", TypeRef = FeelType.Number }],
            Outputs = [new DecisionOutput { Name = "out" }],
            Rules =
            [
                new DecisionRule { Id = "min", InputEntries = [$"-{max}"], OutputEntries = ["\"min\""] },
                new DecisionRule { Id = "big", InputEntries = ["[79228162514264337593543950000..79228162514264337593543950334]"], OutputEntries = ["\"big\""] },
                new DecisionRule { Id = "max", InputEntries = [max], OutputEntries = ["\"max\""] },
                new DecisionRule { Id = "rest", InputEntries = ["-"], OutputEntries = ["\"rest\""] },
            ],
        };
        var compiled = CompiledDecisionTable.Compile(table).GetValueOrThrow();
        string? Out(decimal x) => (string?)compiled.Evaluate(new Dictionary<string, object?> { ["x"] = x }).Value;

        Assert.Equal("min", Out(decimal.MinValue));
        Assert.Equal("rest", Out(decimal.MinValue + 1m));
        Assert.Equal("big", Out(79228162514264337593543950100m));
        Assert.Equal("max", Out(decimal.MaxValue));
        Assert.Equal("rest", Out(0m));
    }

    [Fact]
    public void Evaluate_FirstPolicy_PicksLowestRule_AcrossWordBoundaries()
    {
        var rules = Enumerable.Range(0, 130).Select(r => new DecisionRule
        {
            Id = $"r{r}",
            InputEntries = [r < 100 ? $"= {r}" : ">= 0"],
            OutputEntries = [$"{r}"],
        });
        var table = new DecisionTableDefinition
        {
            Name = "Wide",
            HitPolicy = HitPolicy.First,
            Inputs = [new DecisionInput { Expression = "x", TypeRef = FeelType.Number }],
            Outputs = [new DecisionOutput { Name = "out", TypeRef = FeelType.Number }],
            Rules = [.. rules],
        };
        var compiled = CompiledDecisionTable.Compile(table).GetValueOrThrow();

        Assert.Equal(70m, compiled.Evaluate(new Dictionary<string, object?> { ["x"] = 70 }).Value);
        Assert.Equal(100m, compiled.Evaluate(new Dictionary<string, object?> { ["x"] = 120 }).Value);
        Assert.Null(compiled.Evaluate(new Dictionary<string, object?> { ["x"] = -1 }).Value);
    }
}
