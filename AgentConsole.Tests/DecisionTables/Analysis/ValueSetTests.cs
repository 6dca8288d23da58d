using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;
using CsCheck;

namespace AgentConsole.Tests.DecisionTables.Analysis;

public sealed class ValueSetTests
{
    private static ValueSet Numbers(string text) => Sets(text, ValueKind.Number);

    private static ValueSet Sets(string text, ValueKind kind) =>
        TestSemantics.Build(FeelParser.ParseUnaryTests(text).Value!, kind, []).TrueUnder;

    [Fact]
    public void Union_MergesTouchingIntervals_WhenOneEndIsIncluded()
    {
        Assert.Equal(Numbers("< 20"), Numbers("< 10").Union(Numbers("[10..20)")));
        Assert.Equal(2, Numbers("< 10").Union(Numbers("(10..20)")).Intervals.Count);
    }

    [Fact]
    public void Complement_OfARange_IsBothSidesAndNull()
    {
        var outside = Numbers("[10..20)").Complement();

        Assert.True(outside.IncludesNull);
        Assert.Equal("x < 10 or x ≥ 20 or x is null", outside.Describe("x"));
    }

    [Fact]
    public void DateRanges_AreDiscrete_SoAnOpenGapBetweenNextDaysIsEmpty()
    {
        var days = Sets("(date(\"2026-01-01\")..date(\"2026-01-02\"))", ValueKind.Date);

        Assert.True(days.IsEmpty);
        Assert.Equal(Sets("<= date(\"2026-01-01\")", ValueKind.Date), Sets("< date(\"2026-01-02\")", ValueKind.Date));
    }

    [Fact]
    public void CoFiniteStrings_SubtractAndIntersectExactly()
    {
        var notX = ValueSet.Strings(["X"]).Complement().WithNull(false);

        Assert.True(notX.IsCoFinite);
        Assert.True(notX.Union(ValueSet.Strings(["X"])).Equals(ValueSet.NonNull(ValueKind.Text)));
        Assert.Equal(ValueSet.Strings(["Y"]), notX.Intersect(ValueSet.Strings(["X", "Y"])));
        Assert.Equal("x is none of \"X\", \"Y\"", notX.Subtract(ValueSet.Strings(["Y"])).Describe("x"));
    }

    [Fact]
    public void Samples_PreferIntegersNearZero_ThenMidpoints()
    {
        Assert.Equal(10m, Sample(Numbers("[10..11)")));
        Assert.Equal(10.5m, Sample(Numbers("(10..11)")));
        Assert.Equal(501m, Sample(Numbers("> 500")));
        Assert.Equal(-1m, Sample(Numbers("< 0")));
        Assert.Equal(0m, Sample(Numbers("-")));
        Assert.Equal(new DateOnly(2026, 1, 1), Sample(Sets("-", ValueKind.Date)));
        Assert.Equal(new DateOnly(2025, 3, 1), Sample(Sets("<= date(\"2025-03-01\")", ValueKind.Date)));
        Assert.Equal(new TimeOnly(9, 0), Sample(Sets(">= time(\"09:00:00\")", ValueKind.Time)));
        Assert.Equal(new YearsMonthsDuration(13), Sample(Sets("> duration(\"P1Y\")", ValueKind.YearsMonthsDuration)));
    }

    private static object? Sample(ValueSet set)
    {
        Assert.True(set.TrySample(out var value));
        Assert.True(set.Contains(value));
        return value;
    }

    private static readonly decimal[] Points = [-1m, 0m, 0.5m, 1m, 2m, 3m, 4m];

    private static readonly Gen<ValueSet> NumberSets =
        Gen.Select(Gen.OneOf(Points), Gen.OneOf(Points), Gen.Bool, Gen.Bool, Gen.Int[0, 3])
            .Select((a, b, inA, inB, shape) => shape switch
            {
                0 => ValueSet.Range(ValueKind.Number, Bound.At(a, inA), Bound.At(b, inB)),
                1 => ValueSet.Range(ValueKind.Number, Bound.Unbounded, Bound.At(b, inB)),
                2 => ValueSet.Range(ValueKind.Number, Bound.At(a, inA), Bound.Unbounded),
                _ => ValueSet.Of(ValueKind.Number, a).WithNull(inB),
            })
            .Array[1, 3].Select(sets => sets.Aggregate((x, y) => x.Union(y)));

    [Fact]
    public void SetAlgebra_AgreesWithMembership_AtEveryPointAndBetween()
    {
        decimal[] probes = [.. Points, -2m, -0.5m, 0.25m, 0.75m, 1.5m, 2.5m, 3.5m, 5m];
        Gen.Select(NumberSets, NumberSets).Sample((a, b) =>
        {
            foreach (var x in probes.Cast<object?>().Append(null))
            {
                Assert.Equal(a.Contains(x) || b.Contains(x), a.Union(b).Contains(x));
                Assert.Equal(a.Contains(x) && b.Contains(x), a.Intersect(b).Contains(x));
                Assert.Equal(!a.Contains(x), a.Complement().Contains(x));
                Assert.Equal(a.Contains(x) && !b.Contains(x), a.Subtract(b).Contains(x));
            }

            Assert.Equal(a, a.Complement().Complement());
            Assert.Equal(a.Union(b), b.Union(a));
            if (a.TrySample(out var sample))
            {
                Assert.True(a.Contains(sample));
            }
            else
            {
                Assert.True(a.IsEmpty);
            }
        }, iter: 2000);
    }
}
