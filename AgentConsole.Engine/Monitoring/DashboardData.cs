namespace AgentConsole.Engine.Monitoring;

/// <summary>Everything the dashboard shows for one period, loaded in one pass; <see cref="Hours"/> only for windows of two days at most.</summary>
public sealed record DashboardData(
    MetricsSummary Total,
    IReadOnlyList<SeriesPoint> Days,
    IReadOnlyList<SeriesPoint> Hours,
    IReadOnlyList<AgentMetrics> Agents,
    DateTimeOffset LoadedAt);
