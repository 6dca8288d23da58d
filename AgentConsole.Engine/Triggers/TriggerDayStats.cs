namespace AgentConsole.Engine.Triggers;

/// <summary>
/// One day of one trigger, for tuning (the practice guide: tune triggers in the first 2–4 weeks on observed volume).
/// Received counts every event that reached the trigger, rejected and duplicate ones included; matched counts events
/// that passed the filter (whether or not their run could start).
/// </summary>
public sealed record TriggerDayStats(DateOnly Date, int Received, int Matched, int FilteredOut, int Rejected, int Duplicates, int RunsStarted);
