using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// The thresholds of a rule; each <see cref="AlertKind"/> uses a few of them (see <see cref="AlertRuleValidation"/>).
/// Stored as JSON on the rule so a new kind adds a property, not a migration. Saving fills a kind's defaults in, so a
/// stored rule says exactly what it checks.
/// </summary>
public sealed class AlertParameters
{
    public const int DefaultMinEndedRuns = 10;
    public const int DefaultMinEscalationRuns = 20;
    public const int DefaultRunCostWindowMinutes = 60;
    public const int DefaultTriggerWindowMinutes = 60;
    public const int DefaultBaselineWindows = 24;
    public const double DefaultMinAverage = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>ErrorRate: fires above this percentage.</summary>
    public double? ThresholdPercent { get; set; }

    /// <summary>ErrorRate, EscalationRate, TriggerVolume: the window looked at; RunCost: how long a costly run stays firing.</summary>
    public int? WindowMinutes { get; set; }

    /// <summary>ErrorRate (ended runs, default 10) and EscalationRate (runs, default 20): below this nobody is paged.</summary>
    public int? MinRuns { get; set; }

    /// <summary>RunCost: fires when a run costs more than this multiple of the agent's trailing median.</summary>
    public double? MedianMultiple { get; set; }

    /// <summary>RunCost: fires when a run costs more than this many dollars.</summary>
    public decimal? MaxRunCostUsd { get; set; }

    /// <summary>DailySpend: fires when today's (UTC) spend is over this many dollars.</summary>
    public decimal? DailyLimitUsd { get; set; }

    /// <summary>DailySpend on a rule for every agent: one total for all agents instead of one check per agent.</summary>
    public bool AllAgentsTogether { get; set; }

    /// <summary>EscalationRate: the healthy band's lower edge (fires below it).</summary>
    public double? LowPercent { get; set; }

    /// <summary>EscalationRate: the healthy band's upper edge (fires above it, Warning).</summary>
    public double? HighPercent { get; set; }

    /// <summary>EscalationRate: "needs redesign" above this (Critical).</summary>
    public double? RedesignPercent { get; set; }

    /// <summary>EscalationsOverdue: fires at this many overdue escalations (default 1).</summary>
    public int? MinCount { get; set; }

    /// <summary>TriggerVolume: how many previous equal windows make the baseline average (default 24).</summary>
    public int? BaselineWindows { get; set; }

    /// <summary>TriggerVolume: the baseline average (events per window) below which silence is normal (default 5).</summary>
    public double? MinAverage { get; set; }

    /// <summary>TriggerVolume: fires as a spike above this multiple of the baseline (unset = no spike check).</summary>
    public double? SpikeMultiple { get; set; }

    public AlertParameters Clone() => (AlertParameters)MemberwiseClone();

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AlertParameters FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new AlertParameters() : JsonSerializer.Deserialize<AlertParameters>(json, Json) ?? new AlertParameters();
}
