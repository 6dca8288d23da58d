using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using CsCheck;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>
/// Random tables over small literal pools, checked against brute force with <see cref="ReferenceMatcher"/>. Each column's
/// candidate values are its literals, a value between each pair of neighbours, one below, one above, an unused string and
/// null, which meets every region the literals can carve out: the grid is complete, so the analysis must agree with it
/// exactly, not just be sound.
/// </summary>
public sealed class AnalysisPropertyTests
{
    private const int Iterations = 400;

    public sealed record ColumnSpec(FeelType Type, bool Typed, string? Allowed);

    public sealed record TableSpec(HitPolicy Policy, ColumnSpec[] Columns, string[][] Entries, int[] Outputs, bool IncludeNull)
    {
        public DecisionTableDefinition ToDefinition() => new()
        {
            Name = "random",
            HitPolicy = Policy,
            Inputs = [.. Columns.Select((c, i) => new DecisionInput { Expression = $"c{i}", TypeRef = c.Typed ? c.Type : null, AllowedValues = c.Allowed })],
            Outputs = [new DecisionOutput { Name = "out", TypeRef = FeelType.String, OutputValues = ["\"o0\"", "\"o1\"", "\"o2\""] }],
            Rules = [.. Entries.Select((e, r) => new DecisionRule { Id = $"r{r + 1}", InputEntries = [.. e], OutputEntries = [$"\"o{Outputs[r]}\""] })],
        };

        public override string ToString() =>
            $"{Policy} null={IncludeNull} | {string.Join(" | ", Columns.Select(c => $"{(c.Typed ? c.Type : "untyped " + c.Type)} {c.Allowed}"))}\n"
            + string.Join("\n", Entries.Select((e, r) => $"  {string.Join(" | ", e)} -> o{Outputs[r]}"));
    }

    private static readonly string[] NumberLiterals = ["0", "1", "2", "2.5", "5"];
    private static readonly string[] StringLiterals = ["\"a\"", "\"b\"", "\"c\""];
    private static readonly string[] BooleanLiterals = ["true", "false"];
    private static readonly string[] DateLiterals = ["date(\"2026-01-01\")", "date(\"2026-01-02\")", "date(\"2026-01-03\")", "date(\"2026-01-05\")"];

    private static string[] Literals(FeelType type) => type switch
    {
        FeelType.Number => NumberLiterals,
        FeelType.String => StringLiterals,
        FeelType.Boolean => BooleanLiterals,
        _ => DateLiterals,
    };

    private static object?[] Candidates(FeelType type) => type switch
    {
        // Every literal, each literal ± 0.5, a value between each pair of neighbours, and values beyond both ends.
        FeelType.Number => [-1m, -0.5m, 0m, 0.5m, 1m, 1.5m, 2m, 2.25m, 2.5m, 3m, 3.75m, 4.5m, 5m, 5.5m, 6m, null],
        FeelType.String => ["a", "b", "c", "zz", null],
        FeelType.Boolean => [true, false, null],
        _ => [new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 3),
            new DateOnly(2026, 1, 4), new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 6), null],
    };

    private static Gen<string> Positive(FeelType type)
    {
        var literal = Gen.OneOf(Literals(type));
        var ordered = type is FeelType.Number or FeelType.Date;
        var equal = literal;
        var notEqual = literal.Select(l => $"!= {l}");
        if (!ordered)
        {
            return Gen.Frequency((4, equal), (1, notEqual));
        }

        var comparison = Gen.Select(Gen.OneOf("<", "<=", ">", ">="), literal, (op, l) => $"{op} {l}");
        var range = Gen.Select(Gen.OneOf("[", "(", "]"), literal, literal, Gen.OneOf("]", ")", "["), (open, a, b, close) => $"{open}{a}..{b}{close}");
        return Gen.Frequency((3, equal), (3, comparison), (3, range), (1, notEqual));
    }

    private static Gen<string> Entry(FeelType type)
    {
        var positive = Positive(type);
        var list = positive.Array[2, 3].Select(items => string.Join(", ", items));
        var negated = Gen.Frequency((1, positive), (1, list)).Select(inner => $"not({inner})");
        var mismatch = Gen.Const(type == FeelType.Number ? "\"a\"" : "1");
        return Gen.Frequency(
            (4, Gen.Const("-")), (6, positive), (2, list), (3, negated),
            (1, Gen.Const("null")), (1, Gen.Const("not(null)")), (1, positive.Select(p => $"null, {p}")), (1, mismatch));
    }

    private static readonly Gen<ColumnSpec> Column =
        from type in Gen.OneOf(FeelType.Number, FeelType.String, FeelType.Boolean, FeelType.Date)
        from typed in Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false)))
        from allowed in Gen.OneOf<string?>(type switch
        {
            FeelType.Number => [null, null, "[0..5]", "0, 1, 2.5"],
            FeelType.String => [null, null, "\"a\",\"b\"", "\"a\",\"b\",\"c\""],
            FeelType.Date => [null, null, "[date(\"2026-01-01\")..date(\"2026-01-05\")]"],
            _ => [null],
        })
        select new ColumnSpec(type, typed, allowed);

    private static Gen<string[]> Sequence(IEnumerable<Gen<string>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<string>()), (acc, gen) => acc.SelectMany(items => gen.Select(item => (string[])[.. items, item])));

    internal static readonly Gen<TableSpec> Tables =
        from policy in Gen.OneOf(HitPolicy.Unique, HitPolicy.Any, HitPolicy.First, HitPolicy.Priority)
        from columns in Column.Array[1, 4]
        from entries in Sequence(columns.Select(c => Entry(c.Type))).Array[1, 12]
        from outputs in Gen.Int[0, 2].Array[entries.Length]
        from includeNull in Gen.Bool
        select new TableSpec(policy, columns, entries, outputs, includeNull);

    /// <summary>The brute-force view of a table: per column the candidate values in its domain and the rules each matches.</summary>
    private sealed class Grid
    {
        private readonly UnaryTest?[] _allowed;
        private readonly bool[] _nullable;
        private readonly Type?[] _clrTypes;

        public Grid(TableSpec spec)
        {
            var table = spec.ToDefinition();
            Tests = [.. table.Rules.Select(r => r.InputEntries.Select(Parse).ToArray())];
            Values = new object?[spec.Columns.Length][];
            Matching = new ulong[spec.Columns.Length][];
            _allowed = new UnaryTest?[spec.Columns.Length];
            _nullable = new bool[spec.Columns.Length];
            _clrTypes = new Type?[spec.Columns.Length];
            for (var c = 0; c < spec.Columns.Length; c++)
            {
                var column = spec.Columns[c];
                var allowed = _allowed[c] = column.Allowed is null ? null : Parse(column.Allowed);
                var nullable = _nullable[c] = spec.IncludeNull || table.Rules.Any(r => r.InputEntries[c].Contains("null", StringComparison.Ordinal));

                // An untyped column holds values of the one type its literals have, as the analysis assumes; with no
                // typed literal it only tells null from "something", and with several types it is not analysed exactly.
                // Allowed values, when there are any, settle the type on their own.
                var literalTypes = (column.Allowed is null ? table.Rules.Select(r => r.InputEntries[c]) : [column.Allowed])
                    .SelectMany(text => LiteralTypes(Parse(text))).Distinct().ToList();
                object?[] candidates;
                if (column.Typed || literalTypes.Count == 1)
                {
                    var type = column.Typed ? column.Type : TypeOf(literalTypes[0]);
                    candidates = Candidates(type);
                    _clrTypes[c] = Candidates(type)[0]!.GetType();
                }
                else
                {
                    candidates = literalTypes.Count == 0
                        ? [42m, null]
                        : [.. literalTypes.SelectMany(t => Candidates(TypeOf(t))).Distinct()];
                }

                Values[c] = [.. candidates.Where(v => v is null ? nullable : allowed is null || ReferenceMatcher.Matches(allowed, v))];
                Matching[c] = [.. Values[c].Select(v => Bits(Enumerable.Range(0, Tests.Length).Where(r => ReferenceMatcher.Matches(Tests[r][c], v))))];
            }
        }

        private static FeelType TypeOf(Type type) =>
            type == typeof(decimal) ? FeelType.Number : type == typeof(string) ? FeelType.String : type == typeof(bool) ? FeelType.Boolean : FeelType.Date;

        private static IEnumerable<Type> LiteralTypes(UnaryTest test) => test switch
        {
            ComparisonTest { Value: FeelLiteral { Value: { } v } } => [v.GetType()],
            RangeTest r => new[] { r.Start, r.End }.OfType<FeelLiteral>().Where(l => l.Value is not null).Select(l => l.Value!.GetType()),
            DisjunctionTest d => d.Tests.SelectMany(LiteralTypes),
            NegatedTest n => LiteralTypes(n.Test),
            _ => [],
        };

        public UnaryTest[][] Tests { get; }

        public object?[][] Values { get; }

        public ulong[][] Matching { get; }

        public int Rules => Tests.Length;

        public ulong All => Bits(Enumerable.Range(0, Rules));

        /// <summary>Every combination of candidate values, with the bit set of rules that match it.</summary>
        public IEnumerable<(int[] Combination, ulong Rules)> Combinations()
        {
            var index = new int[Values.Length];
            if (Values.Any(v => v.Length == 0))
            {
                yield break;
            }

            while (true)
            {
                var rules = All;
                for (var c = 0; c < index.Length; c++)
                {
                    rules &= Matching[c][index[c]];
                }

                yield return (index, rules);
                var k = 0;
                while (k < index.Length && ++index[k] == Values[k].Length)
                {
                    index[k++] = 0;
                }

                if (k == index.Length)
                {
                    yield break;
                }
            }
        }

        public bool RuleMatches(int rule, IReadOnlyDictionary<string, object?> example) =>
            Enumerable.Range(0, Values.Length).All(c => ReferenceMatcher.Matches(Tests[rule][c], example[$"c{c}"]));

        /// <summary>The value is of the column's type and allowed (null only in nullable columns); untyped columns accept anything.</summary>
        public bool InDomain(IReadOnlyDictionary<string, object?> example) =>
            Enumerable.Range(0, Values.Length).All(c => example[$"c{c}"] is not { } value
                ? _nullable[c]
                : _clrTypes[c] is null || (value.GetType() == _clrTypes[c] && (_allowed[c] is null || ReferenceMatcher.Matches(_allowed[c]!, value))));

        private static UnaryTest Parse(string text) => FeelParser.ParseUnaryTests(text).Value!;

        private static ulong Bits(IEnumerable<int> rules) => rules.Aggregate(0UL, (bits, r) => bits | (1UL << r));
    }

    private static TableAnalysis Analyze(TableSpec spec) => DecisionTableAnalyzer.Analyze(spec.ToDefinition(), new TableAnalysisOptions
    {
        IncludeNullInputs = spec.IncludeNull,
        MaxReportedGaps = 10_000,
        MaxReportedOverlaps = 10_000,
    });

    [Fact]
    public void EveryGapExample_IsInTheDomain_AndMatchesNoRule()
    {
        Tables.Sample(spec =>
        {
            var grid = new Grid(spec);
            foreach (var gap in Analyze(spec).OfKind(FindingKind.Gap).Where(g => g.Example is not null))
            {
                Assert.True(grid.InDomain(gap.Example!), $"{gap.Message} is outside the domain");
                Assert.All(Enumerable.Range(0, grid.Rules), r => Assert.False(grid.RuleMatches(r, gap.Example!), $"{gap.Message} is matched by rule {r + 1}"));
            }
        }, iter: Iterations);
    }

    [Fact]
    public void EveryOverlapExample_MatchesBothRules()
    {
        Tables.Sample(spec =>
        {
            var grid = new Grid(spec);
            foreach (var overlap in Analyze(spec).OfKind(FindingKind.Overlap))
            {
                Assert.True(grid.InDomain(overlap.Example!));
                Assert.True(grid.RuleMatches(overlap.Rules[0], overlap.Example!), overlap.Message);
                Assert.True(grid.RuleMatches(overlap.Rules[1], overlap.Example!), overlap.Message);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void GapIsReported_ExactlyWhenBruteForceFindsAnUnmatchedInput()
    {
        Tables.Sample(spec =>
        {
            var analysis = Analyze(spec);
            var unmatched = new Grid(spec).Combinations().Any(c => c.Rules == 0);

            Assert.False(analysis.IsPartial && !spec.Columns.Any(c => !c.Typed), "only mixed untyped columns may make a generated table partial");
            if (!analysis.IsPartial)
            {
                Assert.Equal(unmatched, analysis.GapCount > 0);
            }
            else if (analysis.GapCount > 0)
            {
                Assert.True(unmatched);
            }
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(HitPolicy.Unique)]
    [InlineData(HitPolicy.Any)]
    public void Overlaps_AreExactlyThePairsBruteForceFinds(HitPolicy policy)
    {
        // Under ANY only pairs with different outputs count.
        Tables.Select(spec => spec with { Policy = policy }).Sample(spec =>
        {
            var analysis = Analyze(spec);
            if (analysis.IsPartial)
            {
                return;
            }

            var grid = new Grid(spec);
            var expected = new SortedSet<(int, int)>();
            foreach (var (_, rules) in grid.Combinations())
            {
                for (var a = 0; a < grid.Rules; a++)
                {
                    for (var b = a + 1; b < grid.Rules; b++)
                    {
                        if ((rules >> a & 1) == 1 && (rules >> b & 1) == 1 && (policy == HitPolicy.Unique || spec.Outputs[a] != spec.Outputs[b]))
                        {
                            expected.Add((a, b));
                        }
                    }
                }
            }

            var reported = analysis.OfKind(FindingKind.Overlap).Select(f => (f.Rules[0], f.Rules[1]));
            Assert.Equal(expected, new SortedSet<(int, int)>(reported));
        }, iter: Iterations);
    }

    [Fact]
    public void UnreachableRules_AreExactlyThoseThatNeverFireByBruteForce()
    {
        Tables.Sample(spec =>
        {
            var analysis = Analyze(spec);
            if (analysis.IsPartial)
            {
                return;
            }

            var grid = new Grid(spec);
            var fires = new bool[grid.Rules];
            foreach (var (_, rules) in grid.Combinations())
            {
                for (var j = 0; j < grid.Rules; j++)
                {
                    if ((rules >> j & 1) == 1 && (spec.Policy is not (HitPolicy.First or HitPolicy.Priority)
                        || !Enumerable.Range(0, grid.Rules).Any(i => i != j && (rules >> i & 1) == 1 && Beats(spec, i, j))))
                    {
                        fires[j] = true;
                    }
                }
            }

            // The masked (or empty) rule is the one whose input entries the finding highlights.
            var reported = analysis.OfKind(FindingKind.Unreachable).Select(f => f.Cells[0].RuleIndex!.Value).ToHashSet();
            Assert.Equal(Enumerable.Range(0, grid.Rules).Where(j => !fires[j]).ToHashSet(), reported);
        }, iter: Iterations);
    }

    private static bool Beats(TableSpec spec, int i, int j) => spec.Policy == HitPolicy.First
        ? i < j
        : spec.Outputs[i] < spec.Outputs[j] || (spec.Outputs[i] == spec.Outputs[j] && i < j);
}
