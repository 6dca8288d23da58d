namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// A window of run figures: runs that ended in [<paramref name="From"/>, <paramref name="To"/>) plus the runs created
/// in it that have not ended. Rollups are hourly, so ended runs are counted by whole UTC hours: the hour holding
/// <paramref name="From"/> is included, and so is the hour holding <paramref name="To"/>.
/// </summary>
public sealed record MetricsQuery(DateTimeOffset From, DateTimeOffset To, string? AgentKey = null);
