using System.Globalization;
using AgentConsole.Engine.Alerts;
using MudBlazor;

namespace AgentConsole.Components.Pages.Alerts;

/// <summary>How alerts and rules read on the page: kind names, what a rule checks in one line, severity colours.</summary>
public static class AlertDisplay
{
    public static string Kind(AlertKind kind) => kind switch
    {
        AlertKind.ErrorRate => "Error rate",
        AlertKind.RunCost => "Run cost",
        AlertKind.DailySpend => "Daily spend",
        AlertKind.EscalationRate => "Escalation rate",
        AlertKind.EscalationsOverdue => "Escalations overdue",
        AlertKind.TriggerVolume => "Trigger volume",
        _ => kind.ToString(),
    };

    /// <summary>"60 min", "24 h": whole hours from two hours up read as hours.</summary>
    public static string Window(int? minutes) => minutes is { } m && m >= 120 && m % 60 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{m / 60} h")
        : string.Create(CultureInfo.InvariantCulture, $"{minutes} min");

    public static Color Severity(AlertSeverity severity) => severity == AlertSeverity.Critical ? Color.Error : Color.Warning;

    /// <summary>The rule's condition in words, e.g. "over 20 % of ≥ 10 ended runs in 60 min".</summary>
    public static string Condition(AlertRule rule)
    {
        var p = rule.Parameters;
        var c = CultureInfo.InvariantCulture;
        return rule.Kind switch
        {
            AlertKind.ErrorRate => string.Create(c, $"over {p.ThresholdPercent} % of ≥ {p.MinRuns} ended runs in {Window(p.WindowMinutes)}"),
            AlertKind.RunCost => string.Join(" or ", new[]
            {
                p.MedianMultiple is { } n ? string.Create(c, $"over {n}× the 7-day median") : null,
                p.MaxRunCostUsd is { } y ? string.Create(c, $"over ${y}") : null,
            }.Where(s => s is not null)) + " per run",
            AlertKind.DailySpend => string.Create(c, $"over ${p.DailyLimitUsd} a UTC day{(p.AllAgentsTogether ? ", all agents together" : "")}"),
            AlertKind.EscalationRate => string.Join(", ", new[]
            {
                p.LowPercent is { } low ? string.Create(c, $"below {low} %") : null,
                p.HighPercent is { } high ? string.Create(c, $"above {high} %") : null,
                p.RedesignPercent is { } r ? string.Create(c, $"over {r} % (critical)") : null,
            }.Where(s => s is not null)) + string.Create(c, $" of ≥ {p.MinRuns} runs in {Window(p.WindowMinutes)}"),
            AlertKind.EscalationsOverdue => string.Create(c, $"{p.MinCount} or more open escalations past due"),
            AlertKind.TriggerVolume => string.Create(c, $"zero events in {Window(p.WindowMinutes)} after ≥ {p.MinAverage}/window over {p.BaselineWindows} windows")
                + (p.SpikeMultiple is { } m ? string.Create(c, $", or over {m}×") : ""),
            _ => "",
        };
    }
}
