using System.Globalization;

namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>
/// The practice guide's scoping and pilot arithmetic, pure: the manual baseline and its rule of thumb, the pilot's
/// window, and the verdict on the four measures (escalation rate, error rate, cost per run, time saved).
/// </summary>
public static class PilotEvaluation
{
    public const int WorkingWeeksPerYear = 50;
    public const int PilotDays = 30;
    public const decimal WorthAnAgentAboveUsd = 25_000m;
    public const decimal PlainAutomationBelowUsd = 15_000m;
    // The band is the dashboard's (the practice guide's numbers), defined once.
    public const double HealthyEscalationMin = Monitoring.EscalationBand.HealthyLow;
    public const double HealthyEscalationMax = Monitoring.EscalationBand.HealthyHigh;
    public const double RedesignEscalationAbove = Monitoring.EscalationBand.Redesign;
    public const double FavourableErrorRateMax = 0.05;
    public const double FailingErrorRateAbove = 0.15;

    public const string FavourableHeadline = "Clearly favourable: expand the scope or build the next one.";
    public const string AmbiguousHeadline = "Ambiguous: tighten the prompt and rerun the pilot for another 30 days.";
    public const string NotWorkingHeadline = "Not working: the numbers show it clearly; redesign the workflow or stop the agent.";

    public static ManualBaseline Baseline(AgentScoping scoping)
    {
        ArgumentNullException.ThrowIfNull(scoping);
        return Baseline(scoping.HourlyRateUsd, scoping.HoursPerWeek, scoping.WeeklyVolume, scoping.ManualMinutesPerCase, scoping.ReviewMinutesPerEscalation);
    }

    /// <summary>Annual manual cost = rate × hours per week × 50; manual minutes per case default to hours × 60 / volume.</summary>
    public static ManualBaseline Baseline(decimal hourlyRateUsd, decimal hoursPerWeek, int weeklyVolume, decimal? manualMinutesPerCase = null, decimal? reviewMinutesPerEscalation = null)
    {
        var annual = hourlyRateUsd * hoursPerWeek * WorkingWeeksPerYear;
        var minutes = manualMinutesPerCase ?? (weeklyVolume > 0 ? hoursPerWeek * 60m / weeklyVolume : 0m);
        var fit = Fit(annual);
        return new ManualBaseline(
            hourlyRateUsd,
            hoursPerWeek,
            weeklyVolume,
            minutes,
            manualMinutesPerCase is null,
            reviewMinutesPerEscalation ?? ScopingRules.DefaultReviewMinutesPerEscalation,
            annual,
            hourlyRateUsd * minutes / 60m,
            fit,
            Advice(fit));
    }

    /// <summary>Over $25,000 a year an agent is worth exploring, under $15,000 plain automation may fit better; both ends inclusive of borderline.</summary>
    public static ScopingFit Fit(decimal annualManualCostUsd) =>
        annualManualCostUsd > WorthAnAgentAboveUsd ? ScopingFit.WorthAnAgent
        : annualManualCostUsd < PlainAutomationBelowUsd ? ScopingFit.PlainAutomation
        : ScopingFit.Borderline;

    public static string Advice(ScopingFit fit) => fit switch
    {
        ScopingFit.WorthAnAgent => "Over $25,000 a year: if the process is stable, an agent is probably worth exploring.",
        ScopingFit.PlainAutomation => "Under $15,000 a year: plain workflow automation without agent intelligence may fit better.",
        _ => "Between $15,000 and $25,000 a year: borderline; weigh how stable the process is and how much judgement it needs.",
    };

    /// <summary>The pilot's window so far; null when there is no start date or it is still ahead.</summary>
    public static PilotWindow? Window(DateOnly? start, DateTimeOffset now)
    {
        if (start is not { } day)
        {
            return null;
        }

        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (now < from)
        {
            return null;
        }

        var end = from.AddDays(PilotDays);
        var to = now < end ? now : end;
        var days = Math.Max(1, (int)Math.Ceiling((to - from).TotalDays));
        return new PilotWindow(day, from, to, now < end, days);
    }

    /// <summary>The verdict: any failing measure → not working; every measure healthy → clearly favourable; otherwise ambiguous.</summary>
    public static PilotScorecard Score(ManualBaseline? baseline, DateOnly? start, PilotWindow? window, PilotFigures? figures)
    {
        if (baseline is null)
        {
            return NotStarted(start, "No scoping recorded: enter the manual baseline (hourly rate, hours per week, weekly volume) to compare the pilot against.");
        }

        if (start is null)
        {
            return NotStarted(null, "No pilot start date: set one to measure a 30-day pilot.");
        }

        if (window is null || figures is null)
        {
            return NotStarted(start, Inv($"The pilot starts on {start:yyyy-MM-dd}."));
        }

        var progress = window.Running ? Inv($"Day {window.DaysElapsed} of {PilotDays}: figures so far.") : Inv($"The {PilotDays} days from {window.Start:yyyy-MM-dd} are over.");
        if (figures.Runs == 0)
        {
            return new PilotScorecard(PilotVerdict.NoRuns, "No runs in the pilot window yet: nothing to judge.", [progress],
                start, window.From, window.To, window.Running, window.DaysElapsed, figures, baseline.ManualCostPerCaseUsd, 0, null, null, null);
        }

        var handled = Math.Max(0, figures.Ended - figures.Errors);
        var savedMinutes = (baseline.ManualMinutesPerCase * handled) - (baseline.ReviewMinutesPerEscalation * figures.Escalated);
        var savedHours = savedMinutes / 60m;
        var net = (savedHours * baseline.HourlyRateUsd) - figures.CostUsd;
        var annualised = net * WorkingWeeksPerYear * 7m / window.DaysElapsed;

        var good = 0;
        var bad = 0;
        var reasons = new List<string> { progress };
        void Judge(int verdict, string reason)
        {
            good += verdict > 0 ? 1 : 0;
            bad += verdict < 0 ? 1 : 0;
            reasons.Add(reason);
        }

        var escalation = figures.EscalationRate ?? 0;
        Judge(
            escalation > RedesignEscalationAbove ? -1 : escalation is >= HealthyEscalationMin and <= HealthyEscalationMax ? 1 : 0,
            escalation > RedesignEscalationAbove ? Inv($"Escalation rate {Percent(escalation)} is over 30 %: the workflow needs redesign.")
            : escalation > HealthyEscalationMax ? Inv($"Escalation rate {Percent(escalation)} is above the healthy 5–15 % band.")
            : escalation < HealthyEscalationMin ? Inv($"Escalation rate {Percent(escalation)} is below the healthy 5–15 % band: check that the cases that need a person reach one.")
            : Inv($"Escalation rate {Percent(escalation)} is in the healthy 5–15 % band."));

        var errors = figures.ErrorRate ?? 0;
        Judge(
            errors > FailingErrorRateAbove ? -1 : errors <= FavourableErrorRateMax ? 1 : 0,
            errors > FailingErrorRateAbove ? Inv($"Error rate {Percent(errors)} is over 15 %.")
            : errors > FavourableErrorRateMax ? Inv($"Error rate {Percent(errors)} is above 5 %.")
            : Inv($"Error rate {Percent(errors)} is at most 5 %."));

        var costPerRun = figures.CostPerRun ?? 0;
        Judge(
            costPerRun >= baseline.ManualCostPerCaseUsd ? -1 : 1,
            costPerRun >= baseline.ManualCostPerCaseUsd
                ? Inv($"A run costs {Usd(costPerRun)}, no less than the {Usd(baseline.ManualCostPerCaseUsd)} a case costs by hand.")
                : Inv($"A run costs {Usd(costPerRun)} against {Usd(baseline.ManualCostPerCaseUsd)} for a case by hand."));

        Judge(
            savedMinutes > 0 ? 1 : -1,
            savedMinutes > 0
                ? Inv($"{savedHours:0.#} hours saved ({handled} cases × {baseline.ManualMinutesPerCase:0.#} min − {figures.Escalated} escalations × {baseline.ReviewMinutesPerEscalation:0.#} min of review); about {Usd(annualised)} a year net of run costs.")
                : Inv($"No time saved: {figures.Escalated} escalations × {baseline.ReviewMinutesPerEscalation:0.#} min of review outweigh {handled} cases × {baseline.ManualMinutesPerCase:0.#} min."));

        var (verdict, headline) = bad > 0 ? (PilotVerdict.NotWorking, NotWorkingHeadline)
            : good == 4 ? (PilotVerdict.ClearlyFavourable, FavourableHeadline)
            : (PilotVerdict.Ambiguous, AmbiguousHeadline);
        return new PilotScorecard(verdict, headline, reasons, start, window.From, window.To, window.Running, window.DaysElapsed,
            figures, baseline.ManualCostPerCaseUsd, handled, savedHours, net, annualised);
    }

    private static PilotScorecard NotStarted(DateOnly? start, string reason) =>
        new(PilotVerdict.NotStarted, "Not started.", [reason], start, null, null, false, 0, null, null, 0, null, null, null);

    public static string Percent(double rate) => rate.ToString("0.#%", CultureInfo.InvariantCulture);

    public static string Usd(decimal amount) => amount.ToString(Math.Abs(amount) >= 100 ? "$#,0" : "$0.00##", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
