using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using AgentConsole.Engine.DecisionTables;
using CsCheck;

namespace AgentConsole.Tests.DecisionTables;

/// <summary>
/// Plain tables evaluate through a shortcut that reads the caller's dictionary straight into the column indexes. It may
/// decline any input (the general path then runs), but whatever it answers must be exactly what the general path says.
/// </summary>
public sealed class DirectEvaluationTests
{
    private static readonly object Missing = new();

    private static readonly string[] NumberCells =
    [
        "-", "< 10", "<= 10", "> 500", ">= 11", "[11..500]", "(1..5]", "]1..5[", "[1..5)", "10", "!= 10", "not(< 10)", "not([1..5])",
        "1, 2, [5..7]", "null", "not(null)", "-3.5", "[-10..0)", "null, > 100", "2.5", "[0..9000]",
    ];

    private static readonly string[] StringCells = ["-", "\"SMB\"", "\"SMB\",\"Mid\"", "not(\"SMB\")", "not(\"SMB\",\"Mid\")", "!= \"Mid\"", "null", "\"Mid\", null"];

    private static readonly string[] BooleanCells = ["-", "true", "false", "null", "not(true)"];

    private static readonly string[] DateCells = ["-", "< date(\"2026-01-01\")", "date(\"2026-01-01\")", "null"];

    // In an untyped column these make the column's index fall back to testing every cell.
    private static readonly string[] MixedCells = ["-", "\"x\"", "5", "[1..9]", "true", "null"];

    private static readonly object?[] Values =
    [
        Missing, null, 0m, 5m, 10m, 10.0m, 2.5m, -3.5m, 500m, 501m, 9000m, -20m,
        // Values that round onto a whole-number point as doubles must still be told apart exactly.
        9.9999999999999999999999999m, 10.000000000000000000000001m, 500.00000000000000000000001m, decimal.MaxValue, decimal.MinValue,
        0, 5, 10, 11, 501, -20, int.MaxValue, int.MinValue, 10L, 10.0, 2.5d, double.NaN, 0.1f, (short)10,
        "10", " 2.5 ", "SMB", "Mid", "smb", "", "x", "true", true, false,
        new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 1), "2026-01-01", TimeSpan.FromHours(1),
        Json("10"), Json("\"SMB\""), Json("true"), Json("null"), Json("[1]"), new object(),
    ];

    private static readonly object?[] Numbers = [Missing, null, .. Values.Where(v => v is decimal or int)];

    private static readonly object?[] Strings = [Missing, null, .. Values.Where(v => v is string)];

    private static readonly object?[] Booleans = [Missing, null, true, false];

    private enum Shape
    {
        InTableOrder,
        Shuffled,
        WithExtraKeys,
        WithManyExtraKeys,
        IgnoringCase,
        ReadOnlyWrapper,
        Sorted,
    }

    public sealed record ColumnSpec(FeelType Type, bool Typed, bool Mixed, bool Allowed, bool SameInputAsPrevious);

    public sealed record TableCase(HitPolicy Policy, CollectAggregator Aggregator, ColumnSpec[] Columns, int Rules, int Outputs, bool Computed, bool Default, int Seed)
    {
        public override string ToString() =>
            $"{Policy} {Aggregator} rules={Rules} outputs={Outputs} computed={Computed} default={Default} seed={Seed} | "
            + string.Join(" | ", Columns.Select(c => $"{(c.Typed ? "" : "untyped ")}{c.Type}{(c.Mixed ? " mixed" : "")}{(c.Allowed ? " allowed" : "")}{(c.SameInputAsPrevious ? " same" : "")}"));
    }

    private static readonly Gen<ColumnSpec> Column =
        from type in Gen.OneOf(FeelType.Number, FeelType.Number, FeelType.String, FeelType.Boolean, FeelType.Date)
        from typed in Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false)))
        from mixed in Gen.Frequency((8, Gen.Const(false)), (1, Gen.Const(true)))
        from allowed in Gen.Frequency((8, Gen.Const(false)), (1, Gen.Const(true)))
        from same in Gen.Frequency((10, Gen.Const(false)), (1, Gen.Const(true)))
        select new ColumnSpec(type, typed, mixed, allowed, same);

    private static readonly Gen<TableCase> Cases =
        from policy in Gen.OneOf(HitPolicy.First, HitPolicy.First, HitPolicy.Unique, HitPolicy.Unique, HitPolicy.Any, HitPolicy.Priority,
            HitPolicy.Collect, HitPolicy.RuleOrder, HitPolicy.OutputOrder)
        from aggregator in policy == HitPolicy.Collect
            ? Gen.OneOf(CollectAggregator.None, CollectAggregator.Sum, CollectAggregator.Min, CollectAggregator.Max, CollectAggregator.Count)
            : Gen.Const(CollectAggregator.None)
        from columns in Column.Array[1, 6]
        from rules in Gen.Frequency((4, Gen.Int[1, 12]), (2, Gen.Int[13, 64]), (1, Gen.Int[65, 140]))
        from outputs in Gen.Frequency((4, Gen.Const(1)), (1, Gen.Const(2)))
        from computed in Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true)))
        from hasDefault in Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true)))
        from seed in Gen.Int
        select new TableCase(policy, aggregator, columns, rules, outputs, computed, hasDefault, seed);

    [Fact]
    public void Evaluate_DirectPathMatchesGeneralPath_ForRandomTablesAndInputs()
    {
        var (handled, declined) = (0, 0);
        Cases.Sample(c =>
        {
            var random = new Random(c.Seed);
            var compilation = CompiledDecisionTable.Compile(Table(c, random));
            if (!compilation.Success)
            {
                return;
            }

            var table = compilation.Value!;
            var types = table.Definition.Inputs.GroupBy(input => input.Expression).ToDictionary(g => g.Key, g => g.First().TypeRef);
            for (var i = 0; i < 40; i++)
            {
                var inputs = Inputs(types, random, i);
                var direct = table.TryEvaluateDirect(inputs);
                var general = table.EvaluateGeneral(inputs);
                Assert.Equal(Describe(general), Describe(table.Evaluate(inputs)));
                if (direct is null)
                {
                    declined++;
                    continue;
                }

                handled++;
                Assert.Equal(Describe(general), Describe(direct));
            }
        }, iter: 400);

        // Both sides must be exercised, or the comparison above proves nothing.
        Assert.True(handled > 1000, $"The direct path answered only {handled} evaluations.");
        Assert.True(declined > 1000, $"The direct path declined only {declined} evaluations.");
    }

    [Fact]
    public void Evaluate_DirectPathAnswers_TheBenchmarkShapeWithSharedResults()
    {
        var segments = new[] { "SMB", "Mid", "Enterprise" };
        var random = new Random(42);
        var table = CompiledDecisionTable.Compile(new DecisionTableDefinition
        {
            Name = "Shape",
            HitPolicy = HitPolicy.First,
            Inputs =
            [
                new DecisionInput { Expression = "amount", TypeRef = FeelType.Number },
                new DecisionInput { Expression = "segment", TypeRef = FeelType.String },
                new DecisionInput { Expression = "vip", TypeRef = FeelType.Boolean },
                new DecisionInput { Expression = "score", TypeRef = FeelType.Number },
            ],
            Outputs = [new DecisionOutput { Name = "route", TypeRef = FeelType.String }],
            Rules =
            [
                .. Enumerable.Range(0, 49).Select(r => new DecisionRule
                {
                    Id = $"r{r + 1}",
                    InputEntries =
                    [
                        $"[{random.Next(0, 9000)}..{random.Next(9000, 12000)}]", $"not(\"{segments[random.Next(3)]}\")",
                        random.Next(2) == 0 ? "true" : "-", $"> {random.Next(300, 800)}",
                    ],
                    OutputEntries = [$"\"route {r + 1}\""],
                }),
                new DecisionRule { Id = "catch-all", InputEntries = ["-", "-", "-", "-"], OutputEntries = ["\"other\""] },
            ],
        }).GetValueOrThrow();

        for (var i = 0; i < 500; i++)
        {
            var inputs = new Dictionary<string, object?>
            {
                ["amount"] = (decimal)random.Next(0, 10000),
                ["segment"] = segments[random.Next(3)],
                ["vip"] = random.Next(2) == 0,
                ["score"] = random.Next(300, 851),
            };

            var direct = table.TryEvaluateDirect(inputs);

            Assert.NotNull(direct);
            Assert.Equal(Describe(table.EvaluateGeneral(inputs)), Describe(direct));
            Assert.Same(direct, table.Evaluate(inputs));
        }
    }

    [Theory]
    [MemberData(nameof(LeadRoutingInputs))]
    public void Evaluate_DirectPathMatchesGeneralPath_OnTheDemoTable(object? employees, object? industry)
    {
        var table = CompiledDecisionTable.Compile(LeadRoutingTable.Create()).GetValueOrThrow();
        var inputs = new Dictionary<string, object?>();
        if (employees != Missing)
        {
            inputs["employees"] = employees;
        }

        if (industry != Missing)
        {
            inputs["industry"] = industry;
        }

        var general = Describe(table.EvaluateGeneral(inputs));

        Assert.Equal(general, Describe(table.Evaluate(inputs)));
        if (table.TryEvaluateDirect(inputs) is { } direct)
        {
            Assert.Equal(general, Describe(direct));
        }
    }

    public static TheoryData<object?, object?> LeadRoutingInputs()
    {
        var data = new TheoryData<object?, object?>();
        foreach (var employees in Values)
        {
            foreach (var industry in new[] { Missing, null, "Retail", 7, true })
            {
                data.Add(employees, industry);
            }
        }

        return data;
    }

    [Theory]
    [InlineData("42")]
    [InlineData(42.0)]
    [InlineData(42L)]
    [InlineData(true)]
    public void Evaluate_LeavesValuesNeedingConversion_ToTheGeneralPath(object employees)
    {
        var table = CompiledDecisionTable.Compile(LeadRoutingTable.Create()).GetValueOrThrow();
        var inputs = new Dictionary<string, object?> { ["employees"] = employees, ["industry"] = "Retail" };

        Assert.Null(table.TryEvaluateDirect(inputs));
        Assert.Equal(Describe(table.EvaluateGeneral(inputs)), Describe(table.Evaluate(inputs)));
    }

    [Fact]
    public void Evaluate_ReadsInputsByName_WhateverTheDictionaryOrder()
    {
        var table = CompiledDecisionTable.Compile(LeadRoutingTable.Create()).GetValueOrThrow();
        var inOrder = new Dictionary<string, object?> { ["employees"] = 600m, ["industry"] = "Retail" };
        var reversed = new Dictionary<string, object?> { ["extra"] = 1m, ["industry"] = "Retail", ["employees"] = 600m };
        var caseless = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["EMPLOYEES"] = 600m };

        Assert.Equal(LeadRoutingTable.HumanReview, table.Evaluate(inOrder).Value);
        Assert.Equal(LeadRoutingTable.HumanReview, table.Evaluate(reversed).Value);
        Assert.Equal(LeadRoutingTable.HumanReview, table.Evaluate(caseless).Value);
        Assert.Equal(LeadRoutingTable.HumanReview, table.Evaluate(new ReadOnlyDictionary<string, object?>(inOrder)).Value);
    }

    private static DecisionTableDefinition Table(TableCase c, Random random)
    {
        var names = new List<string>();
        for (var i = 0; i < c.Columns.Length; i++)
        {
            names.Add(c.Columns[i].SameInputAsPrevious && i > 0 ? names[i - 1] : $"c{i}");
        }

        var numeric = c.Aggregator is not CollectAggregator.None;
        var literals = numeric ? new[] { "3", "2", "1" } : ["\"o0\"", "\"o1\"", "\"o2\""];
        string Output() => c.Computed && random.Next(4) == 0 ? names[0] : literals[random.Next(literals.Length)];
        return new DecisionTableDefinition
        {
            Name = "Random",
            HitPolicy = c.Policy,
            Aggregator = c.Aggregator,
            Inputs =
            [
                .. c.Columns.Select((column, i) => new DecisionInput
                {
                    Expression = names[i],
                    TypeRef = column.Typed ? column.Type : null,
                    AllowedValues = !column.Allowed ? null : column.Type switch
                    {
                        FeelType.Number => "[-100..10000]",
                        FeelType.String => "\"SMB\",\"Mid\",\"Enterprise\"",
                        FeelType.Boolean => "true, false",
                        _ => null,
                    },
                }),
            ],
            Outputs =
            [
                .. Enumerable.Range(0, c.Outputs).Select(o => new DecisionOutput
                {
                    Name = $"out{o}",
                    TypeRef = numeric ? FeelType.Number : FeelType.String,
                    OutputValues = [.. literals],
                    DefaultOutputEntry = c.Default ? literals[0] : null,
                }),
            ],
            Rules =
            [
                .. Enumerable.Range(0, c.Rules).Select(r => new DecisionRule
                {
                    Id = $"r{r + 1}",
                    InputEntries = [.. c.Columns.Select(column => Pick(random, column.Mixed ? MixedCells : Cells(column.Type)))],
                    OutputEntries = [.. Enumerable.Range(0, c.Outputs).Select(_ => Output())],
                }),
            ],
        };
    }

    private static string[] Cells(FeelType type) => type switch
    {
        FeelType.Number => NumberCells,
        FeelType.String => StringCells,
        FeelType.Boolean => BooleanCells,
        _ => DateCells,
    };

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static IReadOnlyDictionary<string, object?> Inputs(Dictionary<string, FeelType?> types, Random random, int index)
    {
        // Mostly values of the column's type, so the direct path is exercised; sometimes anything at all.
        object? Value(FeelType? type) => random.Next(6) == 0 ? Pick(random, Values) : type switch
        {
            FeelType.Number => Pick(random, Numbers),
            FeelType.String => Pick(random, Strings),
            FeelType.Boolean => Pick(random, Booleans),
            null => Pick(random, random.Next(2) == 0 ? Numbers : Strings),
            _ => Pick(random, Values),
        };
        var pairs = types.Select(t => (Name: t.Key, Value: Value(t.Value))).Where(p => p.Value != Missing).ToList();
        var shape = index < 20 ? Shape.InTableOrder : (Shape)random.Next(Enum.GetValues<Shape>().Length);
        switch (shape)
        {
            case Shape.Shuffled:
                pairs = [.. pairs.OrderBy(_ => random.Next())];
                break;
            case Shape.WithExtraKeys:
                pairs.Insert(random.Next(pairs.Count + 1), ("extra", 1m));
                break;
            case Shape.WithManyExtraKeys:
                pairs.AddRange(Enumerable.Range(0, 20).Select(i => ($"extra{i}", (object?)"x")));
                break;
        }

        return shape switch
        {
            Shape.IgnoringCase => pairs.ToDictionary(p => random.Next(2) == 0 ? p.Name.ToUpperInvariant() : p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase),
            Shape.ReadOnlyWrapper => new ReadOnlyDictionary<string, object?>(pairs.ToDictionary(p => p.Name, p => p.Value)),
            Shape.Sorted => new SortedDictionary<string, object?>(pairs.ToDictionary(p => p.Name, p => p.Value), StringComparer.Ordinal),
            _ => pairs.ToDictionary(p => p.Name, p => p.Value),
        };
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>Everything a caller can observe of a result, lists and rows by content.</summary>
    private static string Describe(DecisionResult result) =>
        $"{result.DecisionName} | {Show(result.Value)} | ids {string.Join(",", result.MatchedRuleIds)} | indexes {string.Join(",", result.MatchedRuleIndexes)} "
        + $"| default {result.UsedDefaultOutput} | trace {result.Trace.Count} {result.InputValues.Count} "
        + $"| error {result.Error?.Kind} {result.Error?.Message} {result.Error?.InputName} {string.Join(",", result.Error?.RuleIds ?? default)}";

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IReadOnlyDictionary<string, object?> row => "{" + string.Join(", ", row.Select(p => $"{p.Key}: {Show(p.Value)}")) + "}",
        IEnumerable<object?> list => "[" + string.Join(", ", list.Select(Show)) + "]",
        IFormattable formattable => $"{value.GetType().Name} {formattable.ToString(null, CultureInfo.InvariantCulture)}",
        _ => $"{value.GetType().Name} {value}",
    };
}
