namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>What the workflow costs done by hand, from an agent's scoping data (see <see cref="PilotEvaluation.Baseline"/>).</summary>
/// <param name="MinutesDerived">True when <paramref name="ManualMinutesPerCase"/> is hours × 60 / volume rather than entered.</param>
/// <param name="AnnualManualCostUsd">Rate × hours per week × 50 working weeks.</param>
/// <param name="ManualCostPerCaseUsd">Rate × manual minutes per case / 60.</param>
public sealed record ManualBaseline(
    decimal HourlyRateUsd,
    decimal HoursPerWeek,
    int WeeklyVolume,
    decimal ManualMinutesPerCase,
    bool MinutesDerived,
    decimal ReviewMinutesPerEscalation,
    decimal AnnualManualCostUsd,
    decimal ManualCostPerCaseUsd,
    ScopingFit Fit,
    string FitAdvice);
