using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.DecisionTables.Analysis;

namespace AgentConsole.Tests.DecisionTables.Analysis;

public sealed class RuleAnalysisTests
{
    private static TableAnalysis Analyze(TableBuilder builder, TableAnalysisOptions? options = null) =>
        DecisionTableAnalyzer.Analyze(builder.Build(), options);

    [Fact]
    public void Unique_ReportsOverlappingRules_WithBothRulesAndAnExampleInBoth()
    {
        var analysis = Analyze(new TableBuilder(HitPolicy.Unique).Input("employees", FeelType.Number)
            .Rule("<= 10", "\"SMB\"").Rule("[10..500]", "\"mid\"").Rule("> 500", "\"review\""));

        var overlap = Assert.Single(analysis.Findings);
        Assert.Equal(FindingKind.Overlap, overlap.Kind);
        Assert.Equal(FindingSeverity.Error, overlap.Severity);
        Assert.Equal([0, 1], overlap.Rules);
        Assert.Equal(10m, overlap.Example!["employees"]);
        Assert.Equal("employees = 10", Assert.Single(overlap.Conditions).Text);
        Assert.Equal(
            "Rule 1 (r1) and rule 2 (r2) both match employees = 10; the UNIQUE hit policy allows only one matching rule.",
            overlap.Message);
        Assert.Contains(overlap.Cells, c => c is { Kind: FindingCellKind.InputEntry, RuleIndex: 0, Column: 0 });
        Assert.Contains(overlap.Cells, c => c is { Kind: FindingCellKind.InputEntry, RuleIndex: 1, Column: 0 });
    }

    [Fact]
    public void Unique_ReportsOverlapAcrossColumns_WithAnExampleForEachInput()
    {
        var analysis = Analyze(new TableBuilder().Input("age", FeelType.Number).Input("tier", FeelType.String, "\"A\",\"B\"")
            .Rule(">= 18", "-", "\"adult\"").Rule("[60..120]", "\"B\"", "\"senior\"").Rule("< 18", "-", "\"minor\""));

        var overlap = Assert.Single(analysis.OfKind(FindingKind.Overlap));

        Assert.Equal([0, 1], overlap.Rules);
        Assert.Equal(60m, overlap.Example!["age"]);
        Assert.Equal("B", overlap.Example["tier"]);
    }

    [Fact]
    public void Any_WithTheSameOutputs_IsNotAnError()
    {
        var analysis = Analyze(new TableBuilder(HitPolicy.Any).Input("x", FeelType.Number)
            .Rule("<= 10", "\"low\"").Rule("< 5", "\"low\"").Rule("> 10", "\"high\""));

        Assert.Empty(analysis.Findings);
    }

    [Fact]
    public void Any_WithDifferentOutputs_ReportsTheConflict()
    {
        var analysis = Analyze(new TableBuilder(HitPolicy.Any).Input("x", FeelType.Number)
            .Rule("<= 10", "\"low\"").Rule("[10..20]", "\"mid\"").Rule("> 20", "\"high\""));

        var overlap = Assert.Single(analysis.Findings);
        Assert.Equal(FindingSeverity.Error, overlap.Severity);
        Assert.Contains("give different outputs (\"low\" and \"mid\")", overlap.Message, StringComparison.Ordinal);
        Assert.Contains(overlap.Cells, c => c is { Kind: FindingCellKind.OutputEntry, RuleIndex: 1 });
    }

    [Fact]
    public void First_DoesNotReportOverlaps_ButReportsARuleMaskedByEarlierRules()
    {
        var analysis = Analyze(new TableBuilder(HitPolicy.First).Input("x", FeelType.Number)
            .Rule("< 10", "\"a\"").Rule(">= 10", "\"b\"").Rule("[5..15]", "\"c\"").Rule("[0..20]", "\"d\""));

        Assert.Empty(analysis.OfKind(FindingKind.Overlap));
        var masked = analysis.OfKind(FindingKind.Unreachable).ToList();
        Assert.Equal(2, masked.Count);
        Assert.Equal([0, 1, 2], masked[0].Rules);
        Assert.StartsWith("Rule 3 (r3) can never fire: every input it matches is matched first by earlier rules 1, 2", masked[0].Message, StringComparison.Ordinal);
        Assert.Equal([0, 1, 2, 3], masked[1].Rules);
    }

    [Fact]
    public void First_DoesNotReportARuleThatStillCatchesSomeInputs()
    {
        var analysis = Analyze(new TableBuilder(HitPolicy.First).Input("x", FeelType.Number).Input("y", FeelType.Boolean)
            .Rule("< 10", "true", "\"a\"").Rule(">= 10", "-", "\"b\"").Rule("< 10", "-", "\"c\"").Rule("-", "-", "\"d\""));

        Assert.DoesNotContain(analysis.Findings, f => f.Kind == FindingKind.Unreachable && f.Rules[^1] == 2);
        Assert.Contains(analysis.Findings, f => f.Kind == FindingKind.Unreachable && f.Rules[^1] == 3);
    }

    [Fact]
    public void Priority_ReportsARuleCoveredByHigherPriorityRules()
    {
        var analysis = Analyze(new TableBuilder(HitPolicy.Priority).Input("score", FeelType.Number)
            .Output("risk", FeelType.String, "\"high\"", "\"medium\"", "\"low\"")
            .Rule("< 50", "\"low\"")
            .Rule("[40..60]", "\"medium\"")
            .Rule("> 30", "\"high\""));

        var masked = Assert.Single(analysis.OfKind(FindingKind.Unreachable));

        Assert.Equal([1, 2], masked.Rules);
        Assert.Contains("higher-priority output", masked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Priority_DoesNotReportARuleOnlyLowerPriorityRulesCover()
    {
        var analysis = Analyze(new TableBuilder(HitPolicy.Priority).Input("score", FeelType.Number)
            .Output("risk", FeelType.String, "\"high\"", "\"low\"")
            .Rule("[40..60]", "\"high\"")
            .Rule("-", "\"low\""));

        Assert.Empty(analysis.Findings);
    }

    [Fact]
    public void RuleContradictingAllowedValues_CanNeverMatch()
    {
        var analysis = Analyze(new TableBuilder().Input("segment", FeelType.String, "\"SMB\",\"Mid\"")
            .Rule("\"SMB\"", "\"a\"").Rule("\"Mid\"", "\"b\"").Rule("\"Gold\"", "\"c\""));

        var outside = Assert.Single(analysis.OfKind(FindingKind.OutsideAllowedValues));
        Assert.Equal(FindingSeverity.Warning, outside.Severity);
        Assert.Equal(new FindingCell(FindingCellKind.InputEntry, 2, "r3", 0, new TextSpan(0, 6)), Assert.Single(outside.Cells));
        Assert.Contains("\"Gold\" is not one of its allowed values \"SMB\",\"Mid\"", outside.Message, StringComparison.Ordinal);
        var never = Assert.Single(analysis.OfKind(FindingKind.Unreachable));
        Assert.Equal([2], never.Rules);
        Assert.Equal("Rule 3 (r3) can never match: its entry \"Gold\" matches no allowed value of 'segment' (\"SMB\",\"Mid\").", never.Message);
        Assert.Empty(analysis.OfKind(FindingKind.Gap));
    }

    [Fact]
    public void EmptyRange_CanNeverMatch()
    {
        var analysis = Analyze(new TableBuilder().Input("x", FeelType.Number)
            .Rule("[10..5]", "\"a\"").Rule("-", "\"b\""));

        var never = Assert.Single(analysis.Findings);
        Assert.Equal(FindingKind.Unreachable, never.Kind);
        Assert.Equal([0], never.Rules);
    }

    [Fact]
    public void RangeEndOutsideAllowedNumbers_IsReported_ButOpenComparisonsAreNot()
    {
        var analysis = Analyze(new TableBuilder().Input("age", FeelType.Number, "[0..150]")
            .Rule("[0..200]", "\"a\"").Rule("> 500", "\"b\""));

        var outside = Assert.Single(analysis.OfKind(FindingKind.OutsideAllowedValues));
        Assert.Equal(new TextSpan(4, 3), outside.Cells[0].Span);
        Assert.Single(analysis.OfKind(FindingKind.Unreachable), f => f.Rules.SequenceEqual([1]));
    }

    [Fact]
    public void OutputOutsideOutputValues_IsReported()
    {
        var analysis = Analyze(new TableBuilder().Input("x", FeelType.Boolean)
            .Output("route", FeelType.String, "\"SMB\"", "\"Mid\"")
            .Rule("true", "\"SMB\"").Rule("false", "\"Enterprise\""));

        var outside = Assert.Single(analysis.Findings);
        Assert.Equal(FindingKind.OutsideAllowedValues, outside.Kind);
        Assert.Equal(FindingCellKind.OutputEntry, outside.Cells[0].Kind);
        Assert.Equal(1, outside.Cells[0].RuleIndex);
    }

    [Fact]
    public void StringLiteralInANumberColumn_IsATypeError_AndTheRuleNeverMatches()
    {
        var analysis = Analyze(new TableBuilder().Input("employees", FeelType.Number)
            .Rule("\"ten\"", "\"a\"").Rule("-", "\"b\""));

        var error = Assert.Single(analysis.OfKind(FindingKind.TypeError));
        Assert.Equal(FindingSeverity.Error, error.Severity);
        Assert.Equal("Rule 1 (r1), input 'employees': \"ten\" is a string, not a number, so this comparison is never true.", error.Message);
        Assert.Equal(new TextSpan(0, 5), error.Cells[0].Span);
        Assert.Single(analysis.OfKind(FindingKind.Unreachable));
    }

    [Fact]
    public void NumberInAStringColumn_IsATypeError()
    {
        var analysis = Analyze(new TableBuilder().Input("tier", FeelType.String).Rule("\"A\", 5", "\"a\"").Rule("not(\"A\")", "\"b\""));

        var error = Assert.Single(analysis.OfKind(FindingKind.TypeError));
        Assert.Equal(new TextSpan(5, 1), error.Cells[0].Span);
        Assert.Empty(analysis.OfKind(FindingKind.Gap));
    }

    [Fact]
    public void OutputLiteralOfTheWrongType_IsATypeError()
    {
        var analysis = Analyze(new TableBuilder().Input("x", FeelType.Boolean)
            .Output("discount", FeelType.Number)
            .Rule("true", "0.1").Rule("false", "\"none\""));

        var error = Assert.Single(analysis.Findings);
        Assert.Equal(FindingKind.TypeError, error.Kind);
        Assert.Equal(new FindingCell(FindingCellKind.OutputEntry, 1, "r2", 0, new TextSpan(0, 6)), error.Cells[0]);
    }

    [Fact]
    public void UntypedColumnMixingNumbersAndStrings_IsReported_AndMakesTheAnalysisPartial()
    {
        var analysis = Analyze(new TableBuilder().Input("x").Rule("5", "\"a\"").Rule("\"five\"", "\"b\""));

        Assert.Single(analysis.OfKind(FindingKind.TypeError));
        Assert.True(analysis.IsPartial);
    }

    [Fact]
    public void UntypedColumnWithAllowedValues_TakesTheirType_SoOtherLiteralsAreTypeErrors()
    {
        var analysis = Analyze(new TableBuilder().Input("x", allowed: "[0..5]").Rule("\"five\"", "\"a\"").Rule("-", "\"b\""));

        Assert.Single(analysis.OfKind(FindingKind.TypeError));
        Assert.False(analysis.IsPartial);
    }

    [Fact]
    public void ParseErrors_CarryTheCellAndThePositionInIt()
    {
        var analysis = Analyze(new TableBuilder().Input("employees", FeelType.Number).Input("segment", FeelType.String)
            .Rule("< 10", "-", "\"SMB\"")
            .Rule("[11..500", "-", "\"mid\"")
            .Rule("> 500", "SMB", "\"review\""));

        var errors = analysis.OfKind(FindingKind.ParseError).ToList();
        Assert.Equal(2, errors.Count);
        var range = errors[0];
        Assert.Equal(new FindingCell(FindingCellKind.InputEntry, 1, "r2", 0, new TextSpan(8, 0)), Assert.Single(range.Cells));
        Assert.Equal((8, 1, 9), (range.SyntaxError!.Offset, range.SyntaxError.Line, range.SyntaxError.Column));
        Assert.StartsWith("Rule 2 (r2), input 'employees': ", range.Message, StringComparison.Ordinal);
        var name = errors[1];
        Assert.Equal(2, name.Cells[0].RuleIndex);
        Assert.Equal(1, name.Cells[0].Column);
        Assert.Contains("Strings need double quotes", name.Message, StringComparison.Ordinal);
        Assert.True(analysis.IsPartial);
    }

    [Fact]
    public void ParseErrorOnASecondLine_ReportsLineAndColumn()
    {
        var analysis = Analyze(new TableBuilder().Input("x", FeelType.Number).Rule("1,\n  2 3", "\"a\""));

        var error = Assert.Single(analysis.OfKind(FindingKind.ParseError));
        Assert.Equal((2, 5), (error.SyntaxError!.Line, error.SyntaxError.Column));
    }

    [Fact]
    public void ComparisonWithAnotherInput_MakesTheRulePartial_WithoutGuessingGapsOrOverlaps()
    {
        var analysis = Analyze(new TableBuilder().Input("amount", FeelType.Number).Input("limit", FeelType.Number)
            .Rule("<= limit", "-", "\"ok\"")
            .Rule("> limit", "-", "\"review\""));

        Assert.True(analysis.IsPartial);
        var partial = analysis.OfKind(FindingKind.Partial).ToList();
        Assert.Equal(2, partial.Count);
        Assert.Contains("compares with 'limit'", partial[0].Message, StringComparison.Ordinal);
        Assert.Empty(analysis.OfKind(FindingKind.Gap));
        Assert.Empty(analysis.OfKind(FindingKind.Overlap));
    }

    [Fact]
    public void UnknownCell_StillLetsOtherColumnsProveAGap()
    {
        var analysis = Analyze(new TableBuilder().Input("amount", FeelType.Number).Input("limit", FeelType.Number)
            .Rule("<= limit", "> 0", "\"ok\""));

        var gap = Assert.Single(analysis.OfKind(FindingKind.Gap));
        Assert.Equal("limit ≤ 0", Assert.Single(gap.Conditions).Text);
    }

    [Fact]
    public void NullIsOutsideTheDomainByDefault_SoComparisonsCoverAColumn()
    {
        var table = new TableBuilder().Input("x", FeelType.Number).Rule("< 0", "\"a\"").Rule(">= 0", "\"b\"");

        Assert.Empty(Analyze(table).Findings);
    }

    [Fact]
    public void NullInputs_WhenIncluded_AreAGapThatOnlyDashOrNullTestsCover()
    {
        var table = new TableBuilder().Input("x", FeelType.Number).Rule("< 0", "\"a\"").Rule(">= 0", "\"b\"");

        var gap = Assert.Single(Analyze(table, new TableAnalysisOptions { IncludeNullInputs = true }).Findings);

        Assert.Null(gap.Example!["x"]);
        Assert.Equal("x is null", Assert.Single(gap.Conditions).Text);
    }

    [Fact]
    public void ColumnThatMentionsNull_IsNullable_AndNotOfAValueMatchesNull()
    {
        // not("X") is true for null (null = "X" is false), so together with "X" it covers null too.
        var covered = new TableBuilder().Input("tier", FeelType.String)
            .Rule("\"X\"", "\"a\"").Rule("not(\"X\", null)", "\"b\"").Rule("null", "\"c\"");
        Assert.Empty(Analyze(covered).Findings);

        // not(< 10) is null for a null input, so it does not match null: null is a gap here.
        var uncovered = new TableBuilder().Input("x", FeelType.Number)
            .Rule("< 10", "\"a\"").Rule("not(< 10)", "\"b\"").Rule("not(null)", "\"c\"");
        var analysis = Analyze(uncovered);
        var gap = Assert.Single(analysis.OfKind(FindingKind.Gap));
        Assert.Null(gap.Example!["x"]);
    }

    [Fact]
    public void NotEqual_MatchesNull_BecauseNullDiffersFromTheValue()
    {
        var table = new TableBuilder().Input("x", FeelType.Number).Rule("!= 5", "\"a\"").Rule("5", "\"b\"");

        Assert.Empty(Analyze(table, new TableAnalysisOptions { IncludeNullInputs = true }).Findings);
    }

    [Fact]
    public void ColumnsWithTheSameExpression_AreOneInput()
    {
        // "age >= 18" and "age < 65" in two columns: the example must give age one value that is inside both tests.
        var analysis = Analyze(new TableBuilder().Input("age", FeelType.Number).Input("age", FeelType.Number)
            .Rule(">= 18", "< 65", "\"working\"")
            .Rule("< 18", "-", "\"minor\""));

        var gap = Assert.Single(analysis.OfKind(FindingKind.Gap));
        Assert.Equal(65m, gap.Example!["age"]);
        var contradiction = Analyze(new TableBuilder().Input("age", FeelType.Number).Input("age", FeelType.Number)
            .Rule(">= 65", "< 18", "\"never\"").Rule("-", "-", "\"all\""));
        Assert.Contains("contradict each other", Assert.Single(contradiction.OfKind(FindingKind.Unreachable)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongNumberOfEntries_IsReported()
    {
        var table = new TableBuilder().Input("x", FeelType.Number).Input("y", FeelType.Number).Build();
        table = table with { Rules = [new DecisionRule { Id = "r1", InputEntries = ["1"], OutputEntries = ["\"a\""] }] };

        var analysis = DecisionTableAnalyzer.Analyze(table);

        Assert.Contains(analysis.Findings, f => f.Kind == FindingKind.ParseError && f.Message.Contains("1 input entries but the table has 2", StringComparison.Ordinal));
        Assert.True(analysis.IsPartial);
    }

    [Fact]
    public void TableWithoutRules_HasOneGapCoveringEverything()
    {
        var analysis = DecisionTableAnalyzer.Analyze(new TableBuilder().Input("x", FeelType.Number).Build());

        var gap = Assert.Single(analysis.Findings);
        Assert.Equal("No rule matches any input.", gap.Message);
        Assert.Equal(0m, gap.Example!["x"]);
    }

    [Fact]
    public void TimeColumn_ReportsTheUncoveredTimes()
    {
        var analysis = Analyze(new TableBuilder().Input("at", FeelType.Time)
            .Rule("< time(\"09:00:00\")", "\"early\"").Rule(">= time(\"17:00:00\")", "\"late\""));

        var gap = Assert.Single(analysis.Findings);
        Assert.Equal(new TimeOnly(9, 0), gap.Example!["at"]);
        Assert.Equal("time(\"09:00:00\") ≤ at < time(\"17:00:00\")", Assert.Single(gap.Conditions).Text);
    }

    [Fact]
    public void DurationTypeRef_TakesItsKindFromTheLiterals()
    {
        var analysis = Analyze(new TableBuilder().Input("tenure", FeelType.Duration)
            .Rule("< duration(\"P1Y\")", "\"new\"").Rule("> duration(\"P1Y\")", "\"loyal\""));

        var gap = Assert.Single(analysis.Findings);
        Assert.Equal(new YearsMonthsDuration(12), gap.Example!["tenure"]);
    }

    [Fact]
    public void SearchBudget_WhenExhausted_MakesTheAnalysisPartial_WithoutClaimingMaskedRules()
    {
        var builder = new TableBuilder(HitPolicy.First).Input("a", FeelType.Number).Input("b", FeelType.Number).Input("c", FeelType.Number);
        for (var i = 0; i < 12; i++)
        {
            builder.Rule($"[{i}..{i + 3}]", $"[{12 - i}..{15 - i}]", $"> {i}", "\"x\"");
        }

        builder.Rule("[0..1]", "[0..1]", "[0..1]", "\"masked only if proven\"");
        var analysis = Analyze(builder, new TableAnalysisOptions { MaxSearchSteps = 3 });

        Assert.True(analysis.IsPartial);
        Assert.Contains(analysis.Findings, f => f.Kind == FindingKind.Partial && f.Message.Contains("stopped after", StringComparison.Ordinal));
        Assert.Empty(analysis.OfKind(FindingKind.Unreachable));
        Assert.All(analysis.OfKind(FindingKind.Gap).Where(g => g.Example is not null), g => Assert.NotNull(g.Example));
    }
}
