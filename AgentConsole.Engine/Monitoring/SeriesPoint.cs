namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// One point of the dashboard's charts: a local day (<see cref="MonitoringOptions.TimeZone"/>), or one hour of a
/// short window; <see cref="Start"/> is the instant it begins.
/// </summary>
public sealed record SeriesPoint(
    DateTimeOffset Start,
    DateOnly Day,
    int Succeeded,
    int Failed,
    int Cancelled,
    int HandledByHuman,
    int Unfinished,
    int Escalated,
    decimal CostUsd,
    double? P50Milliseconds,
    double? P95Milliseconds)
{
    public int Runs => Succeeded + Failed + Cancelled + HandledByHuman + Unfinished;

    public double? EscalationRate => Runs == 0 ? null : (double)Escalated / Runs;
}
