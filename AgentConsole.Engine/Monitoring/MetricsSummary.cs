namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// Run figures of one window (see <see cref="MetricsQuery"/>). Rates are over all runs counted (ended and not yet
/// ended); durations are execution time of the ended runs (waiting for people does not count).
/// </summary>
public sealed record MetricsSummary(
    DateTimeOffset From,
    DateTimeOffset To,
    string? AgentKey,
    int Ended,
    int Succeeded,
    int Failed,
    int Cancelled,
    int HandledByHuman,
    int InFlight,
    int Waiting,
    int Stopped,
    int Escalated,
    decimal CostUsd,
    decimal EstimatedCostUsd,
    long InputTokens,
    long OutputTokens,
    double? AverageMilliseconds,
    double? P50Milliseconds,
    double? P95Milliseconds)
{
    /// <summary>Every run counted: ended in the window, or created in it and still queued, running, waiting or stopped.</summary>
    public int Runs => Ended + InFlight + Waiting + Stopped;

    /// <summary>Runs that failed, or stopped at a limit and wait for a person.</summary>
    public int Errors => Failed + Stopped;

    public double? ErrorRate => Runs == 0 ? null : (double)Errors / Runs;

    /// <summary>Share of runs that handed at least one case to a person.</summary>
    public double? EscalationRate => Runs == 0 ? null : (double)Escalated / Runs;

    public EscalationHealth EscalationHealth => EscalationBand.Of(EscalationRate);

    public decimal? CostPerRun => Runs == 0 ? null : decimal.Round(CostUsd / Runs, 8);

    /// <summary>True when part of the cost comes from estimated usage (the provider did not report tokens).</summary>
    public bool CostEstimated => EstimatedCostUsd > 0;

    public long Tokens => InputTokens + OutputTokens;
}
