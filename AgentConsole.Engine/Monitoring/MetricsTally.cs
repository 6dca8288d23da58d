using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Monitoring;

/// <summary>Sums ended-run rollups, duration buckets and unfinished runs into the figures of one group (total, agent, day).</summary>
internal sealed class MetricsTally
{
    private readonly RunRollup _ended = new();
    private readonly Dictionary<int, long> _buckets = [];
    private int _inFlight;
    private int _waiting;
    private int _stopped;
    private int _escalatedUnfinished;
    private decimal _costUnfinished;
    private decimal _estimatedUnfinished;
    private long _inputUnfinished;
    private long _outputUnfinished;

    public void Add(RunRollup rollup) => _ended.Add(rollup);

    public void Add(RunContribution contribution, int weight)
    {
        _ended.Add(contribution, weight);
        AddBucket(contribution.Bucket, weight);
    }

    public void AddBucket(int bucket, long count) => _buckets[bucket] = _buckets.GetValueOrDefault(bucket) + count;

    public void AddUnfinished(RunStatus status, bool escalated, bool estimated, decimal cost, long input, long output)
    {
        switch (status)
        {
            case RunStatus.WaitingForHuman:
                _waiting++;
                break;
            case RunStatus.StoppedByLimit:
                _stopped++;
                break;
            default:
                _inFlight++;
                break;
        }

        _escalatedUnfinished += escalated ? 1 : 0;
        _costUnfinished += cost;
        _estimatedUnfinished += estimated ? cost : 0;
        _inputUnfinished += input;
        _outputUnfinished += output;
    }

    public double? Percentile(double quantile) => DurationBuckets.Percentile(_buckets, quantile);

    public MetricsSummary ToSummary(DateTimeOffset from, DateTimeOffset to, string? agentKey) => new(
        from,
        to,
        agentKey,
        _ended.Ended,
        _ended.Succeeded,
        _ended.Failed,
        _ended.Cancelled,
        _ended.HandledByHuman,
        _inFlight,
        _waiting,
        _stopped,
        _ended.Escalated + _escalatedUnfinished,
        _ended.CostUsd + _costUnfinished,
        _ended.EstimatedCostUsd + _estimatedUnfinished,
        _ended.InputTokens + _inputUnfinished,
        _ended.OutputTokens + _outputUnfinished,
        _ended.Ended == 0 ? null : (double)_ended.ActiveMilliseconds / _ended.Ended,
        Percentile(0.50),
        Percentile(0.95));

    public SeriesPoint ToPoint(DateTimeOffset start, DateOnly day) => new(
        start,
        day,
        _ended.Succeeded,
        _ended.Failed,
        _ended.Cancelled,
        _ended.HandledByHuman,
        _inFlight + _waiting + _stopped,
        _ended.Escalated + _escalatedUnfinished,
        _ended.CostUsd + _costUnfinished,
        Percentile(0.50),
        Percentile(0.95));
}
