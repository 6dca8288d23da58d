using AgentConsole.Engine.Monitoring;

namespace AgentConsole.Monitoring;

/// <summary>The metrics API's figures of one window; rates are fractions (0.12 = 12 %), durations milliseconds.</summary>
public sealed record MetricsSummaryResponse(
    DateTimeOffset From,
    DateTimeOffset To,
    string? Agent,
    int Runs,
    int Ended,
    int Succeeded,
    int Failed,
    int Cancelled,
    int HandledByHuman,
    int InFlight,
    int WaitingForHuman,
    int StoppedByLimit,
    int Errors,
    double? ErrorRate,
    int Escalated,
    double? EscalationRate,
    string EscalationHealth,
    decimal CostUsd,
    decimal? CostPerRunUsd,
    bool CostEstimated,
    decimal EstimatedCostUsd,
    long InputTokens,
    long OutputTokens,
    double? AverageMilliseconds,
    double? P50Milliseconds,
    double? P95Milliseconds)
{
    public static MetricsSummaryResponse Of(MetricsSummary s) => new(
        s.From, s.To, s.AgentKey, s.Runs, s.Ended, s.Succeeded, s.Failed, s.Cancelled, s.HandledByHuman, s.InFlight, s.Waiting, s.Stopped,
        s.Errors, s.ErrorRate, s.Escalated, s.EscalationRate, s.EscalationHealth.ToString(), s.CostUsd, s.CostPerRun, s.CostEstimated,
        s.EstimatedCostUsd, s.InputTokens, s.OutputTokens, s.AverageMilliseconds, s.P50Milliseconds, s.P95Milliseconds);
}
