namespace AgentConsole.Components.Pages.Dashboard;

/// <summary>
/// Axis steps and units for the dashboard's charts. MudBlazor's axis ticks are whole numbers of the plotted unit, so a
/// day costing $0.002 would draw as a flat line in dollars: such values are plotted in a smaller unit instead.
/// </summary>
public static class ChartScale
{
    private static readonly (double Factor, string Unit)[] CostUnits =
    [
        (1, "USD"),
        (100, "US cents"),
        (10_000, "hundredths of a cent"),
        (1_000_000, "millionths of a dollar"),
    ];

    /// <summary>The largest unit in which <paramref name="maxUsd"/> is at least 4, so the axis has a few whole ticks.</summary>
    public static (double Factor, string Unit) CostUnit(double maxUsd)
    {
        foreach (var unit in CostUnits)
        {
            if (maxUsd * unit.Factor >= 4)
            {
                return unit;
            }
        }

        return CostUnits[^1];
    }

    /// <summary>Seconds, or milliseconds when the longest value is under 4 s.</summary>
    public static (double Factor, string Unit) DurationUnit(double maxMilliseconds) =>
        maxMilliseconds >= 4_000 ? (0.001, "seconds") : (1, "milliseconds");

    /// <summary>A 1-2-5 step that splits 0..<paramref name="max"/> into about four intervals (at least 1).</summary>
    public static int Step(double max)
    {
        if (max <= 4)
        {
            return 1;
        }

        var raw = max / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var mantissa = raw / magnitude;
        var nice = mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10;
        return (int)Math.Max(1, Math.Round(nice * magnitude));
    }
}
