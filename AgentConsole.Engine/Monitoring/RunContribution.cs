using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Monitoring;

/// <summary>What one ended run adds to the rollups: keyed by its agent and the UTC hour it ended in.</summary>
internal readonly record struct RunContribution(
    string AgentKey,
    DateTimeOffset HourStart,
    RunStatus Status,
    bool Escalated,
    bool Estimated,
    decimal CostUsd,
    long InputTokens,
    long OutputTokens,
    long ActiveMilliseconds)
{
    public int Bucket => DurationBuckets.Of(ActiveMilliseconds);

    /// <summary>The statuses a run cannot leave (a run stopped at a limit may still be resumed).</summary>
    public static readonly RunStatus[] EndedStatuses = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.HandledByHuman];

    public static bool Ends(RunStatus status) => EndedStatuses.Contains(status);

    /// <summary>The contribution of a run with these values, or null while it has not ended (it counts as in flight).</summary>
    public static RunContribution? Of(string agentKey, RunStatus status, DateTimeOffset? completedAt, int escalations, bool estimated,
        decimal cost, long inputTokens, long outputTokens, long activeMilliseconds) =>
        Ends(status) && completedAt is { } ended
            ? new RunContribution(agentKey, HourOf(ended), status, escalations > 0, estimated, cost, inputTokens, outputTokens, activeMilliseconds)
            : null;

    public static RunContribution? Of(Run run) => Of(run.AgentKey, run.Status, run.CompletedAt, run.EscalationCount, run.UsageEstimated,
        run.CostUsd, run.InputTokens, run.OutputTokens, run.ActiveMilliseconds);

    public DateTimeOffset DayStart => DayOf(HourStart);

    public static DateTimeOffset DayOf(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerDay), TimeSpan.Zero);
    }

    public static DateTimeOffset HourOf(DateTimeOffset instant)
    {
        var utc = instant.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }
}
