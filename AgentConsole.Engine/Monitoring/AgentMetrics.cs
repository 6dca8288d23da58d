namespace AgentConsole.Engine.Monitoring;

/// <summary>One agent's line of the dashboard's table.</summary>
public sealed record AgentMetrics(string AgentKey, string AgentName, MetricsSummary Summary);
