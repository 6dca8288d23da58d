using System.Globalization;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// A FEEL years and months duration such as <c>P1Y2M</c>, kept as a count of months because months have no fixed length in days.
/// </summary>
public readonly record struct YearsMonthsDuration(int TotalMonths)
{
    public int Years => TotalMonths / 12;

    public int Months => TotalMonths % 12;

    public override string ToString()
    {
        if (TotalMonths == 0)
        {
            return "P0M";
        }

        var sign = TotalMonths < 0 ? "-" : "";
        var years = Math.Abs(Years);
        var months = Math.Abs(Months);
        return string.Create(CultureInfo.InvariantCulture,
            $"{sign}P{(years > 0 ? $"{years}Y" : "")}{(months > 0 ? $"{months}M" : "")}");
    }
}
