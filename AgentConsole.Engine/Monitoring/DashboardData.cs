namespace AgentConsole.Engine.Monitoring;

/// <summary>Everything the dashboard shows for one period, loaded in one pass.</summary>
public sealed record DashboardData(
    MetricsSummary Total,
    IReadOnlyList<DayMetrics> Days,
    IReadOnlyList<AgentMetrics> Agents,
    DateTimeOffset LoadedAt);
