using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;

namespace AgentConsole.Tests.DecisionTables.Analysis;

public sealed class GapAnalysisTests
{
    /// <summary>The practice guide's lead routing: "fewer than 10 → SMB, 11 to 500 → mid-market, more than 500 → review".</summary>
    private static TableBuilder LeadRouting(string midMarket = "[11..500]") => new TableBuilder()
        .Input("employees", FeelType.Number)
        .Input("industry", FeelType.String)
        .Output("route")
        .Rule("< 10", "-", "\"SMB\"")
        .Rule(midMarket, "-", "\"mid-market\"")
        .Rule("> 500", "-", "\"review\"");

    [Fact]
    public void LeadRouting_ReportsExactlyOneGap_AtTenEmployees()
    {
        var analysis = DecisionTableAnalyzer.Analyze(LeadRouting().Build());

        var gap = Assert.Single(analysis.Findings);
        Assert.Equal(FindingKind.Gap, gap.Kind);
        Assert.Equal(FindingSeverity.Warning, gap.Severity);
        Assert.Equal(10m, gap.Example!["employees"]);
        Assert.Equal("No rule covers employees = 10 (10 ≤ employees < 11).", gap.Message);
        var condition = Assert.Single(gap.Conditions);
        Assert.Equal(0, condition.Input);
        Assert.Equal("10 ≤ employees < 11", condition.Text);
        Assert.IsType<string>(gap.Example["industry"]);
        Assert.False(analysis.IsPartial);
        Assert.Equal(1, analysis.GapCount);
    }

    [Fact]
    public void LeadRouting_HasNoGap_OnceMidMarketStartsAtTen()
    {
        var analysis = DecisionTableAnalyzer.Analyze(LeadRouting("[10..500]").Build());

        Assert.Empty(analysis.Findings);
        Assert.Equal(0, analysis.GapCount);
    }

    [Fact]
    public void Gap_BetweenOpenEnds_HasNoIntegerSoTheExampleIsTheMidpoint()
    {
        var table = new TableBuilder().Input("x", FeelType.Number)
            .Rule("<= 10", "\"a\"").Rule("[11..20]", "\"b\"").Rule("> 20", "\"c\"").Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal(10.5m, gap.Example!["x"]);
        Assert.Equal("10 < x < 11", Assert.Single(gap.Conditions).Text);
    }

    [Fact]
    public void Gaps_InTwoColumns_AreReportedAsSeparateBoxesWithExamplesInside()
    {
        var table = new TableBuilder().Input("age", FeelType.Number).Input("member", FeelType.Boolean)
            .Rule("< 18", "-", "\"child\"")
            .Rule(">= 18", "true", "\"member\"")
            .Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal(["age ≥ 18", "member = false"], gap.Conditions.Select(c => c.Text));
        Assert.Equal(18m, gap.Example!["age"]);
        Assert.Equal(false, gap.Example["member"]);
    }

    [Fact]
    public void Gap_IsOnlyInfo_WhenTheTableHasADefaultOutput()
    {
        var analysis = DecisionTableAnalyzer.Analyze(LeadRouting().Default("\"review\"").Build());

        Assert.Equal(FindingSeverity.Info, Assert.Single(analysis.Findings).Severity);
    }

    [Fact]
    public void StringColumn_IsCoveredByAValueAndItsNegation()
    {
        var table = new TableBuilder().Input("tier", FeelType.String)
            .Rule("\"X\"", "\"a\"").Rule("not(\"X\")", "\"b\"").Build();

        Assert.Empty(DecisionTableAnalyzer.Analyze(table).Findings);
    }

    [Fact]
    public void StringColumn_WithoutAllowedValues_HasAGapForEveryOtherString()
    {
        var table = new TableBuilder().Input("tier", FeelType.String)
            .Rule("\"Gold\",\"Silver\"", "\"a\"").Rule("\"Bronze\"", "\"b\"").Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal("tier is none of \"Bronze\", \"Gold\", \"Silver\"", Assert.Single(gap.Conditions).Text);
        Assert.Equal("other", gap.Example!["tier"]);
    }

    [Fact]
    public void StringColumn_WithAllowedValues_IsCoveredWhenEveryAllowedValueIsTested()
    {
        var table = new TableBuilder().Input("tier", FeelType.String, "\"Gold\",\"Silver\",\"Bronze\"")
            .Rule("\"Gold\",\"Silver\"", "\"a\"").Rule("\"Bronze\"", "\"b\"").Build();

        Assert.Empty(DecisionTableAnalyzer.Analyze(table).Findings);
    }

    [Fact]
    public void StringColumn_WithAllowedValues_ReportsTheUntestedAllowedValue()
    {
        var table = new TableBuilder().Input("tier", FeelType.String, "\"Gold\",\"Silver\",\"Bronze\"")
            .Rule("\"Gold\"", "\"a\"").Rule("\"Bronze\"", "\"b\"").Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal("Silver", gap.Example!["tier"]);
    }

    [Fact]
    public void BooleanColumn_ReportsTheMissingValue()
    {
        var table = new TableBuilder().Input("vip", FeelType.Boolean).Input("score", FeelType.Number)
            .Rule("true", "-", "\"a\"").Rule("false", "< 50", "\"b\"").Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal(false, gap.Example!["vip"]);
        Assert.Equal(50m, gap.Example["score"]);
    }

    [Fact]
    public void DateColumn_IsDiscrete_SoAdjacentDaysLeaveNoGap()
    {
        var table = new TableBuilder().Input("signed", FeelType.Date)
            .Rule("< date(\"2026-01-01\")", "\"old\"")
            .Rule("[date(\"2026-01-01\")..date(\"2026-06-30\")]", "\"h1\"")
            .Rule(">= date(\"2026-07-01\")", "\"h2\"")
            .Build();

        Assert.Empty(DecisionTableAnalyzer.Analyze(table).Findings);
    }

    [Fact]
    public void DateColumn_ReportsAMissingDayWithThatDayAsExample()
    {
        var table = new TableBuilder().Input("signed", FeelType.Date)
            .Rule("< date(\"2026-01-01\")", "\"old\"")
            .Rule("> date(\"2026-01-01\")", "\"new\"")
            .Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal(new DateOnly(2026, 1, 1), gap.Example!["signed"]);
        Assert.Equal("signed = date(\"2026-01-01\")", Assert.Single(gap.Conditions).Text);
    }

    [Fact]
    public void DurationColumn_ReportsTheUncoveredRange()
    {
        var table = new TableBuilder().Input("wait", FeelType.DaysTimeDuration)
            .Rule("< duration(\"P1D\")", "\"ok\"")
            .Rule("> duration(\"P2D\")", "\"late\"")
            .Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal(TimeSpan.FromDays(1), gap.Example!["wait"]);
    }

    [Fact]
    public void DateTimeColumn_ReportsTheInstantNoRuleCovers()
    {
        var table = new TableBuilder().Input("at", FeelType.DateTime)
            .Rule("< date and time(\"2026-03-01T00:00:00Z\")", "\"before\"")
            .Rule("> date and time(\"2026-03-01T00:00:00Z\")", "\"after\"")
            .Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), gap.Example!["at"]);
    }

    [Fact]
    public void ManyGaps_AreCappedWithASummaryOfTheRest()
    {
        var builder = new TableBuilder().Input("x", FeelType.Number);
        for (var i = 0; i < 60; i++)
        {
            builder.Rule($"{i * 2}", "\"a\"");
        }

        var analysis = DecisionTableAnalyzer.Analyze(builder.Build(), new TableAnalysisOptions { MaxReportedGaps = 10 });
        var gaps = analysis.OfKind(FindingKind.Gap).ToList();

        Assert.Equal(11, gaps.Count);
        Assert.All(gaps.Take(10), g => Assert.NotNull(g.Example));
        Assert.Null(gaps[10].Example);
        Assert.Equal(analysis.GapCount, 10 + long.Parse(gaps[10].Message.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Gaps_InTheSameColumnRange_AreMergedAcrossAnotherColumn()
    {
        // x in [0..10) is uncovered for every y: one gap box, not one per y atom.
        var table = new TableBuilder().Input("x", FeelType.Number).Input("y", FeelType.String)
            .Rule("< 0", "\"a\"", "\"r\"")
            .Rule("< 0", "not(\"a\")", "\"r\"")
            .Rule(">= 10", "-", "\"r\"")
            .Build();

        var gap = Assert.Single(DecisionTableAnalyzer.Analyze(table).Findings);

        Assert.Equal("0 ≤ x < 10", Assert.Single(gap.Conditions).Text);
    }
}
