using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Monitoring;

/// <summary>Settings of the dashboard's figures (<c>AgentConsole:Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    public const string Section = "AgentConsole:Monitoring";

    /// <summary>
    /// The time zone whose days the dashboard counts in ("today", runs per day), as an IANA id. Rollups are hourly, so
    /// a zone with a half-hour offset counts days from the hour before its midnight.
    /// </summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How often pending rollup deltas are folded at the latest (they fold within a quarter of this after runs end).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan FoldInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the dashboard waits after a run ends before reloading, so a burst of runs reloads it once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan LiveRefreshDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public static bool IsKnownZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
