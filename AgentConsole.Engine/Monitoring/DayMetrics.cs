namespace AgentConsole.Engine.Monitoring;

/// <summary>One day of the dashboard's charts, in <see cref="MonitoringOptions.TimeZone"/>.</summary>
public sealed record DayMetrics(
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
