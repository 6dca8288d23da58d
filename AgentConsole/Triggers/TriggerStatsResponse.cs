using AgentConsole.Engine.Triggers;

namespace AgentConsole.Triggers;

/// <summary>Per-day volume, oldest day first.</summary>
public sealed record TriggerStatsResponse(string Trigger, int Days, IReadOnlyList<TriggerDayStats> Items);
