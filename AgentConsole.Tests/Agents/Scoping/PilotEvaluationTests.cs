using AgentConsole.Engine.Agents.Scoping;

namespace AgentConsole.Tests.Agents.Scoping;

public sealed class PilotEvaluationTests
{
    private static readonly DateOnly Start = new(2026, 11, 1);
    private static readonly DateTimeOffset AfterPilot = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    // $60/h, 20 h a week, 120 cases: 10 minutes and $10 a case by hand, $60,000 a year.
    private static readonly ManualBaseline Baseline = PilotEvaluation.Baseline(60m, 20m, 120);

    [Theory]
    [InlineData(50, 10, 25_000, ScopingFit.Borderline)]
    [InlineData(50, 10.02, 25_050, ScopingFit.WorthAnAgent)]
    [InlineData(30, 10, 15_000, ScopingFit.Borderline)]
    [InlineData(29.98, 10, 14_990, ScopingFit.PlainAutomation)]
    public void Baseline_AnnualCostIsRateTimesHoursTimesFifty_AndExactThresholdsAreBorderline(double rate, double hours, double annual, ScopingFit fit)
    {
        var baseline = PilotEvaluation.Baseline((decimal)rate, (decimal)hours, 40);

        Assert.Equal((decimal)annual, baseline.AnnualManualCostUsd);
        Assert.Equal(fit, baseline.Fit);
        Assert.Equal(PilotEvaluation.Advice(fit), baseline.FitAdvice);
    }

    [Fact]
    public void Baseline_DerivesMinutesPerCaseFromHoursAndVolume_UnlessOverridden()
    {
        Assert.Equal((10m, true, 10m, 10m), (Baseline.ManualMinutesPerCase, Baseline.MinutesDerived, Baseline.ManualCostPerCaseUsd, Baseline.ReviewMinutesPerEscalation));

        var overridden = PilotEvaluation.Baseline(60m, 20m, 120, manualMinutesPerCase: 15m, reviewMinutesPerEscalation: 4m);

        Assert.Equal((15m, false, 15m, 4m), (overridden.ManualMinutesPerCase, overridden.MinutesDerived, overridden.ManualCostPerCaseUsd, overridden.ReviewMinutesPerEscalation));
    }

    [Fact]
    public void Window_IsNull_WithoutAStartOrBeforeIt_AndCoversThirtyDaysOrSoFar()
    {
        Assert.Null(PilotEvaluation.Window(null, AfterPilot));
        Assert.Null(PilotEvaluation.Window(Start, new DateTimeOffset(2026, 10, 31, 23, 59, 0, TimeSpan.Zero)));

        var over = PilotEvaluation.Window(Start, AfterPilot)!;
        Assert.Equal((new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), false, 30), (over.From, over.To, over.Running, over.DaysElapsed));

        var running = PilotEvaluation.Window(Start, new DateTimeOffset(2026, 11, 10, 6, 0, 0, TimeSpan.Zero))!;
        Assert.Equal((true, 10), (running.Running, running.DaysElapsed));
    }

    [Fact]
    public void Score_IsNotStarted_WithoutScopingOrStartDate_OrBeforeTheStart()
    {
        Assert.Equal(PilotVerdict.NotStarted, PilotEvaluation.Score(null, Start, null, null).Verdict);
        var noDate = PilotEvaluation.Score(Baseline, null, null, null);
        Assert.Equal(PilotVerdict.NotStarted, noDate.Verdict);
        Assert.Contains("No pilot start date", Assert.Single(noDate.Reasons), StringComparison.Ordinal);
        Assert.Contains("starts on 2026-11-01", Assert.Single(PilotEvaluation.Score(Baseline, Start, null, null).Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Score_IsNoRuns_WhenThePilotWindowHasNoRuns()
    {
        var card = Score(Figures(runs: 0, escalated: 0, errors: 0, cost: 0));

        Assert.Equal(PilotVerdict.NoRuns, card.Verdict);
        Assert.Null(card.TimeSavedHours);
    }

    [Fact]
    public void Score_IsClearlyFavourable_WhenEveryMeasureIsHealthy_AndComputesTimeSaved()
    {
        // 100 runs, 10 escalated (10 %), 2 errors: 98 cases × 10 min − 10 × 10 min review = 880 min.
        var card = Score(Figures(runs: 100, escalated: 10, errors: 2, cost: 5m));

        Assert.Equal(PilotVerdict.ClearlyFavourable, card.Verdict);
        Assert.Equal(PilotEvaluation.FavourableHeadline, card.Headline);
        Assert.Equal(98, card.CasesHandled);
        Assert.Equal(880m / 60m, card.TimeSavedHours);
        Assert.Equal((880m / 60m * 60m) - 5m, card.NetSavingUsd);
        // 30 days of a 350-day working year.
        Assert.Equal(((880m / 60m * 60m) - 5m) * 350m / 30m, card.AnnualisedSavingUsd);
        Assert.Contains(card.Reasons, r => r.Contains("in the healthy 5–15 % band", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(15, PilotVerdict.ClearlyFavourable)]
    [InlineData(16, PilotVerdict.Ambiguous)]
    [InlineData(30, PilotVerdict.Ambiguous)]
    [InlineData(31, PilotVerdict.NotWorking)]
    [InlineData(5, PilotVerdict.ClearlyFavourable)]
    [InlineData(4, PilotVerdict.Ambiguous)]
    public void Score_JudgesTheEscalationRate_AtTheBandsBoundaries(int escalatedOfHundred, PilotVerdict verdict)
    {
        var card = Score(Figures(runs: 100, escalated: escalatedOfHundred, errors: 0, cost: 1m));

        Assert.Equal(verdict, card.Verdict);
    }

    [Theory]
    [InlineData(5, PilotVerdict.ClearlyFavourable)]
    [InlineData(6, PilotVerdict.Ambiguous)]
    [InlineData(15, PilotVerdict.Ambiguous)]
    [InlineData(16, PilotVerdict.NotWorking)]
    public void Score_JudgesTheErrorRate_AtFiveAndFifteenPercent(int errorsOfHundred, PilotVerdict verdict)
    {
        var card = Score(Figures(runs: 100, escalated: 10, errors: errorsOfHundred, cost: 1m));

        Assert.Equal(verdict, card.Verdict);
    }

    [Fact]
    public void Score_IsNotWorking_WhenARunCostsAsMuchAsACaseByHand()
    {
        // $10 a run is exactly the $10 a case costs by hand.
        var card = Score(Figures(runs: 100, escalated: 10, errors: 0, cost: 1_000m));

        Assert.Equal(PilotVerdict.NotWorking, card.Verdict);
        Assert.Equal(PilotEvaluation.NotWorkingHeadline, card.Headline);
        Assert.Contains(card.Reasons, r => r.StartsWith("A run costs $10.00, no less than the $10.00", StringComparison.Ordinal));
    }

    [Fact]
    public void Score_IsNotWorking_WhenReviewTimeOutweighsTheTimeSaved()
    {
        // One minute a case by hand, ten minutes to review each of the 10 escalations: 100 × 1 − 10 × 10 = 0.
        var baseline = PilotEvaluation.Baseline(60m, 20m, 120, manualMinutesPerCase: 1m, reviewMinutesPerEscalation: 10m);
        var window = PilotEvaluation.Window(Start, AfterPilot);

        var card = PilotEvaluation.Score(baseline, Start, window, Figures(runs: 100, escalated: 10, errors: 0, cost: 0.5m));

        Assert.Equal(PilotVerdict.NotWorking, card.Verdict);
        Assert.Equal(0m, card.TimeSavedHours);
        Assert.Contains(card.Reasons, r => r.StartsWith("No time saved", StringComparison.Ordinal));
    }

    [Fact]
    public void Score_SaysTheFiguresAreSoFar_WhileThePilotRuns()
    {
        var window = PilotEvaluation.Window(Start, new DateTimeOffset(2026, 11, 10, 6, 0, 0, TimeSpan.Zero));

        var card = PilotEvaluation.Score(Baseline, Start, window, Figures(runs: 20, escalated: 2, errors: 0, cost: 0.4m));

        Assert.True(card.Running);
        Assert.Equal("Day 10 of 30: figures so far.", card.Reasons[0]);
    }

    private static PilotScorecard Score(PilotFigures figures) =>
        PilotEvaluation.Score(Baseline, Start, PilotEvaluation.Window(Start, AfterPilot), figures);

    private static PilotFigures Figures(int runs, int escalated, int errors, decimal cost) => new(
        runs, runs, errors, escalated, cost,
        runs == 0 ? null : (double)errors / runs,
        runs == 0 ? null : (double)escalated / runs,
        runs == 0 ? null : cost / runs);
}
