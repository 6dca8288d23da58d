namespace AgentConsole.Engine.Monitoring;

/// <summary>The dashboard's periods: today, or the last 7 or 30 days counting today, in the configured time zone.</summary>
public enum DashboardPeriod
{
    Today = 1,
    Week = 7,
    Month = 30,
}
