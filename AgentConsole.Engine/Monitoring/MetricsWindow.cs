namespace AgentConsole.Engine.Monitoring;

/// <summary>The instants a dashboard period covers, and the local day an instant belongs to.</summary>
public sealed record MetricsWindow(DateTimeOffset From, DateTimeOffset To, TimeZoneInfo Zone)
{
    /// <summary>Today, or the last 7 or 30 days counting today: from local midnight (rounded down to the hour) to now.</summary>
    public static MetricsWindow For(DashboardPeriod period, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var firstDay = today.AddDays(1 - (int)period);
        // Up to and including now: a run that ended this very tick counts "today".
        return new MetricsWindow(StartOf(firstDay, zone), now.AddTicks(1), zone);
    }

    /// <summary>The local days from the first to the last, so a chart shows empty days as zero rather than skipping them.</summary>
    public IReadOnlyList<DateOnly> Days()
    {
        var first = DayOf(From);
        var last = DayOf(To);
        var days = new List<DateOnly>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            days.Add(d);
        }

        return days;
    }

    /// <summary>The UTC hours of the window, for windows of two days at most (a month by hour is not a chart anyone reads).</summary>
    public IReadOnlyList<DateTimeOffset> Hours()
    {
        var first = RunContribution.HourOf(From);
        if (To - first > TimeSpan.FromDays(2))
        {
            return [];
        }

        var hours = new List<DateTimeOffset>();
        for (var h = first; h < To; h = h.AddHours(1))
        {
            hours.Add(h);
        }

        return hours;
    }

    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>Local midnight of <paramref name="day"/> as an instant, rounded down to a whole UTC hour (the rollups' grain).</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        // A midnight skipped by a daylight-saving change: the day starts at the first valid local time.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        var instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return RunContribution.HourOf(instant);
    }
}
