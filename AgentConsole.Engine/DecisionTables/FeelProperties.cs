namespace AgentConsole.Engine.DecisionTables;

/// <summary>The properties FEEL defines on temporal values: <c>d.year</c>, <c>t.hour</c>, <c>dur.days</c>, ...</summary>
internal static class FeelProperties
{
    public static FeelValue Get(in FeelValue value, string property)
    {
        switch (value.Kind)
        {
            case FeelKind.Date:
            {
                var date = DateOnly.FromDayNumber((int)value.Bits);
                return property switch
                {
                    "year" => FeelValue.FromNumber(date.Year),
                    "month" => FeelValue.FromNumber(date.Month),
                    "day" => FeelValue.FromNumber(date.Day),
                    "weekday" => FeelValue.FromNumber(date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek),
                    _ => FeelValue.Null,
                };
            }

            case FeelKind.DateTime:
            {
                var when = (DateTimeOffset)value.Ref!;
                return property switch
                {
                    "year" => FeelValue.FromNumber(when.Year),
                    "month" => FeelValue.FromNumber(when.Month),
                    "day" => FeelValue.FromNumber(when.Day),
                    "weekday" => FeelValue.FromNumber(when.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)when.DayOfWeek),
                    "hour" => FeelValue.FromNumber(when.Hour),
                    "minute" => FeelValue.FromNumber(when.Minute),
                    "second" => FeelValue.FromNumber(when.Second),
                    "time offset" => FeelValue.FromDuration(when.Offset),
                    _ => FeelValue.Null,
                };
            }

            case FeelKind.Time:
            {
                var time = new TimeOnly(value.Bits);
                return property switch
                {
                    "hour" => FeelValue.FromNumber(time.Hour),
                    "minute" => FeelValue.FromNumber(time.Minute),
                    "second" => FeelValue.FromNumber(time.Second),
                    _ => FeelValue.Null,
                };
            }

            case FeelKind.DaysTimeDuration:
            {
                var span = new TimeSpan(value.Bits);
                return property switch
                {
                    "days" => FeelValue.FromNumber(span.Days),
                    "hours" => FeelValue.FromNumber(span.Hours),
                    "minutes" => FeelValue.FromNumber(span.Minutes),
                    "seconds" => FeelValue.FromNumber(span.Seconds),
                    _ => FeelValue.Null,
                };
            }

            case FeelKind.YearsMonthsDuration:
                return property switch
                {
                    "years" => FeelValue.FromNumber(value.Bits / 12),
                    "months" => FeelValue.FromNumber(value.Bits % 12),
                    _ => FeelValue.Null,
                };
            default:
                return FeelValue.Null;
        }
    }
}
