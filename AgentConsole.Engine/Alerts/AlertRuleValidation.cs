namespace AgentConsole.Engine.Alerts;

/// <summary>
/// Field-level checks of a rule, keyed like <c>alert.thresholdPercent</c> so the editor shows each message at its
/// field and the API returns them in a validation problem. <see cref="Normalize"/> fills a kind's defaults and drops
/// the parameters the kind does not use, so a stored rule says exactly what it checks.
/// </summary>
public static class AlertRuleValidation
{
    public const string Name = "alert.name";
    public const string Kind = "alert.kind";
    public const string AgentKey = "alert.agentKey";
    public const string Channels = "alert.channels";
    public const string ThresholdPercent = "alert.thresholdPercent";
    public const string WindowMinutes = "alert.windowMinutes";
    public const string MinRuns = "alert.minRuns";
    public const string MedianMultiple = "alert.medianMultiple";
    public const string MaxRunCostUsd = "alert.maxRunCostUsd";
    public const string DailyLimitUsd = "alert.dailyLimitUsd";
    public const string AllAgentsTogether = "alert.allAgentsTogether";
    public const string LowPercent = "alert.lowPercent";
    public const string HighPercent = "alert.highPercent";
    public const string RedesignPercent = "alert.redesignPercent";
    public const string MinCount = "alert.minCount";
    public const string BaselineWindows = "alert.baselineWindows";
    public const string MinAverage = "alert.minAverage";
    public const string SpikeMultiple = "alert.spikeMultiple";

    public const int MaxWindowMinutes = 7 * 24 * 60;

    /// <summary>The kind's parameters with defaults filled in and the others cleared.</summary>
    public static AlertParameters Normalize(AlertKind kind, AlertParameters p) => kind switch
    {
        AlertKind.ErrorRate => new() { ThresholdPercent = p.ThresholdPercent, WindowMinutes = p.WindowMinutes ?? 60, MinRuns = p.MinRuns ?? AlertParameters.DefaultMinEndedRuns },
        AlertKind.RunCost => new() { MedianMultiple = p.MedianMultiple, MaxRunCostUsd = p.MaxRunCostUsd, WindowMinutes = p.WindowMinutes ?? AlertParameters.DefaultRunCostWindowMinutes },
        AlertKind.DailySpend => new() { DailyLimitUsd = p.DailyLimitUsd, AllAgentsTogether = p.AllAgentsTogether },
        AlertKind.EscalationRate => new()
        {
            LowPercent = p.LowPercent, HighPercent = p.HighPercent, RedesignPercent = p.RedesignPercent,
            WindowMinutes = p.WindowMinutes ?? 24 * 60, MinRuns = p.MinRuns ?? AlertParameters.DefaultMinEscalationRuns,
        },
        AlertKind.EscalationsOverdue => new() { MinCount = p.MinCount ?? 1 },
        AlertKind.TriggerVolume => new()
        {
            WindowMinutes = p.WindowMinutes ?? AlertParameters.DefaultTriggerWindowMinutes, BaselineWindows = p.BaselineWindows ?? AlertParameters.DefaultBaselineWindows,
            MinAverage = p.MinAverage ?? AlertParameters.DefaultMinAverage, SpikeMultiple = p.SpikeMultiple,
        },
        _ => new(),
    };

    /// <summary>Checks what can be checked without the database (names, agents and channels are the catalog's).</summary>
    public static Dictionary<string, string[]> Validate(AlertRuleEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var errors = new Dictionary<string, string[]>();
        void Add(string key, string message) => errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];

        var name = edit.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            Add(Name, "Give the rule a name.");
        }
        else if (name.Length > AlertRule.NameMaxLength)
        {
            Add(Name, $"The name is at most {AlertRule.NameMaxLength} characters.");
        }

        if (edit.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            Add(Kind, $"Choose what the rule watches: {string.Join(", ", Enum.GetNames<AlertKind>())}.");
            return errors;
        }

        var p = Normalize(kind, edit.Parameters ?? new AlertParameters());
        if (p.WindowMinutes is { } window && (window < 1 || window > MaxWindowMinutes))
        {
            Add(WindowMinutes, $"The window is between 1 minute and {MaxWindowMinutes} minutes (7 days).");
        }

        if (p.MinRuns is < 1 or > 100_000)
        {
            Add(MinRuns, "The minimum number of runs is between 1 and 100,000.");
        }

        switch (kind)
        {
            case AlertKind.ErrorRate:
                Percent(p.ThresholdPercent, ThresholdPercent, "Set the error rate (%) above which the rule fires.", required: true);
                break;
            case AlertKind.RunCost:
                if (p.MedianMultiple is null && p.MaxRunCostUsd is null)
                {
                    Add(MedianMultiple, "Set a multiple of the median run cost, a maximum run cost, or both.");
                    Add(MaxRunCostUsd, "Set a maximum run cost, a multiple of the median run cost, or both.");
                }

                if (p.MedianMultiple is <= 1 or > 1_000)
                {
                    Add(MedianMultiple, "The multiple of the median is more than 1 and at most 1,000.");
                }

                if (p.MaxRunCostUsd is <= 0 or > 100_000)
                {
                    Add(MaxRunCostUsd, "The maximum run cost is more than $0 and at most $100,000.");
                }

                break;
            case AlertKind.DailySpend:
                if (p.DailyLimitUsd is null)
                {
                    Add(DailyLimitUsd, "Set the daily spend (USD) above which the rule fires.");
                }
                else if (p.DailyLimitUsd is <= 0 or > 10_000_000)
                {
                    Add(DailyLimitUsd, "The daily spend limit is more than $0 and at most $10,000,000.");
                }

                if (p.AllAgentsTogether && !string.IsNullOrWhiteSpace(edit.AgentKey))
                {
                    Add(AllAgentsTogether, "\"All agents together\" adds every agent's spend up; a rule for one agent cannot use it.");
                }

                break;
            case AlertKind.EscalationRate:
                if (p.LowPercent is null && p.HighPercent is null && p.RedesignPercent is null)
                {
                    Add(RedesignPercent, "Set the healthy band (low and/or high %) or the redesign mark (%), or both.");
                }

                Percent(p.LowPercent, LowPercent, "", required: false);
                Percent(p.HighPercent, HighPercent, "", required: false);
                Percent(p.RedesignPercent, RedesignPercent, "", required: false);
                if (p.LowPercent is { } low && p.HighPercent is { } high && low >= high)
                {
                    Add(HighPercent, "The band's high edge is above its low edge.");
                }

                if (p.HighPercent is { } top && p.RedesignPercent is { } redesign && redesign <= top)
                {
                    Add(RedesignPercent, "The redesign mark is above the band's high edge.");
                }

                break;
            case AlertKind.EscalationsOverdue:
                if (p.MinCount is < 1 or > 100_000)
                {
                    Add(MinCount, "Fire at 1 or more overdue escalations (at most 100,000).");
                }

                break;
            case AlertKind.TriggerVolume:
                if (p.BaselineWindows is < 1 or > 168)
                {
                    Add(BaselineWindows, "The baseline is 1 to 168 previous windows.");
                }

                if (p.MinAverage is <= 0 or > 1_000_000)
                {
                    Add(MinAverage, "The baseline average that makes silence unusual is more than 0.");
                }

                if (p.SpikeMultiple is <= 1 or > 1_000)
                {
                    Add(SpikeMultiple, "The spike multiple is more than 1 and at most 1,000 (leave it empty for no spike check).");
                }

                break;
        }

        if (edit.Channels.Any(string.IsNullOrWhiteSpace))
        {
            Add(Channels, "A channel key is empty.");
        }

        return errors;

        void Percent(double? value, string key, string missing, bool required)
        {
            if (value is null)
            {
                if (required)
                {
                    Add(key, missing);
                }
            }
            else if (value is < 0 or > 100 || double.IsNaN(value.Value))
            {
                Add(key, "A percentage is between 0 and 100.");
            }
        }
    }
}
