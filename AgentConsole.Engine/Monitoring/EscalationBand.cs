namespace AgentConsole.Engine.Monitoring;

/// <summary>The practice guide's numbers: a healthy escalation rate is 5–15 % in steady state; above 30 % redesign.</summary>
public static class EscalationBand
{
    public const double HealthyLow = 0.05;
    public const double HealthyHigh = 0.15;
    public const double Redesign = 0.30;

    public static EscalationHealth Of(double? rate) => rate switch
    {
        null => EscalationHealth.NoData,
        < HealthyLow => EscalationHealth.Low,
        <= HealthyHigh => EscalationHealth.Healthy,
        <= Redesign => EscalationHealth.High,
        _ => EscalationHealth.Redesign,
    };

    public static string Describe(EscalationHealth health) => health switch
    {
        EscalationHealth.Low => "Below the healthy 5–15 % band: the agent may be deciding cases it should hand over.",
        EscalationHealth.Healthy => "Within the healthy 5–15 % band.",
        EscalationHealth.High => "Above the healthy 5–15 % band: people handle more cases than they should.",
        EscalationHealth.Redesign => "Over 30 %: the workflow needs redesign — the agent hands over too much to be worth running.",
        _ => "No runs in this period.",
    };
}
