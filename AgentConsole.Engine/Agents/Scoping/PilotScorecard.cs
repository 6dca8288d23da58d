namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>
/// A pilot measured against the manual baseline: the guide's four measures (escalation rate, error rate, cost per run,
/// time saved), the annualised saving and the verdict with its reasons.
/// </summary>
/// <param name="From">Start of the window (the pilot start, 00:00 UTC); null when the pilot has not started.</param>
/// <param name="To">End of the window: 30 days after the start, or now while the pilot runs.</param>
/// <param name="Running">The 30 days are not over yet: the figures are so far.</param>
/// <param name="CasesHandled">Runs that ended without an error: the cases the agent took off people's hands.</param>
/// <param name="TimeSavedHours">Manual minutes per case × cases handled − review minutes per escalation × escalated runs, in hours.</param>
/// <param name="NetSavingUsd">Time saved at the hourly rate, minus what the runs cost.</param>
/// <param name="AnnualisedSavingUsd">The net saving scaled to 50 working weeks.</param>
public sealed record PilotScorecard(
    PilotVerdict Verdict,
    string Headline,
    IReadOnlyList<string> Reasons,
    DateOnly? PilotStart,
    DateTimeOffset? From,
    DateTimeOffset? To,
    bool Running,
    int DaysElapsed,
    PilotFigures? Figures,
    decimal? ManualCostPerCaseUsd,
    int CasesHandled,
    decimal? TimeSavedHours,
    decimal? NetSavingUsd,
    decimal? AnnualisedSavingUsd);
