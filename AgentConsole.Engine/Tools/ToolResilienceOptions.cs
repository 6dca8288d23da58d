namespace AgentConsole.Engine.Tools;

/// <summary>
/// Timeout, retries and circuit breaker of a tool's connector calls. Defaults suit a SaaS API: a 10 s attempt,
/// 3 retries with exponential backoff from 1 s (jittered, capped at 30 s, longer only when Retry-After asks),
/// and a breaker that opens for 30 s when half of at least 10 calls in 60 s failed.
/// </summary>
public sealed class ToolResilienceOptions
{
    /// <summary>One attempt's time limit.</summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>The whole call's limit, retries and waits included; a call never blocks past it.</summary>
    public TimeSpan? TotalTimeout { get; set; }

    public int? MaxRetries { get; set; }

    public TimeSpan? BaseDelay { get; set; }

    public TimeSpan? MaxDelay { get; set; }

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one ends the retries (the run escalates).</summary>
    public TimeSpan? MaxRetryAfter { get; set; }

    public double? BreakerFailureRatio { get; set; }

    public int? BreakerMinimumThroughput { get; set; }

    public TimeSpan? BreakerSamplingDuration { get; set; }

    public TimeSpan? BreakerBreakDuration { get; set; }

    public TimeSpan AttemptTimeoutOrDefault => AttemptTimeout ?? TimeSpan.FromSeconds(10);
    public TimeSpan TotalTimeoutOrDefault => TotalTimeout ?? TimeSpan.FromSeconds(60);
    public int MaxRetriesOrDefault => MaxRetries ?? 3;
    public TimeSpan BaseDelayOrDefault => BaseDelay ?? TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelayOrDefault => MaxDelay ?? TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryAfterOrDefault => MaxRetryAfter ?? TimeSpan.FromSeconds(30);
    public double BreakerFailureRatioOrDefault => BreakerFailureRatio ?? 0.5;
    public int BreakerMinimumThroughputOrDefault => BreakerMinimumThroughput ?? 10;
    public TimeSpan BreakerSamplingDurationOrDefault => BreakerSamplingDuration ?? TimeSpan.FromSeconds(60);
    public TimeSpan BreakerBreakDurationOrDefault => BreakerBreakDuration ?? TimeSpan.FromSeconds(30);

    /// <summary>These settings where given, the defaults elsewhere.</summary>
    public ToolResilienceOptions Over(ToolResilienceOptions defaults) => new()
    {
        AttemptTimeout = AttemptTimeout ?? defaults.AttemptTimeout,
        TotalTimeout = TotalTimeout ?? defaults.TotalTimeout,
        MaxRetries = MaxRetries ?? defaults.MaxRetries,
        BaseDelay = BaseDelay ?? defaults.BaseDelay,
        MaxDelay = MaxDelay ?? defaults.MaxDelay,
        MaxRetryAfter = MaxRetryAfter ?? defaults.MaxRetryAfter,
        BreakerFailureRatio = BreakerFailureRatio ?? defaults.BreakerFailureRatio,
        BreakerMinimumThroughput = BreakerMinimumThroughput ?? defaults.BreakerMinimumThroughput,
        BreakerSamplingDuration = BreakerSamplingDuration ?? defaults.BreakerSamplingDuration,
        BreakerBreakDuration = BreakerBreakDuration ?? defaults.BreakerBreakDuration,
    };
}
