namespace AgentConsole.Engine.Tools;

/// <summary>
/// Timeout, retries and circuit breaker of a tool's connector calls. Defaults suit a SaaS API: a 10 s attempt,
/// 3 retries with exponential backoff from 1 s (jittered, capped at 30 s, longer only when Retry-After asks),
/// and a breaker that opens for 30 s when 80 % of at least 20 attempts in 60 s failed. The breaker is for outages, not
/// for a flaky service: at 50 % of 10 attempts, a service failing a random 30 % of calls opened it in bursts (the R2
/// benchmark escalated most runs), while retries alone would have carried those calls.
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
    public double BreakerFailureRatioOrDefault => BreakerFailureRatio ?? 0.8;
    public int BreakerMinimumThroughputOrDefault => BreakerMinimumThroughput ?? 20;
    public TimeSpan BreakerSamplingDurationOrDefault => BreakerSamplingDuration ?? TimeSpan.FromSeconds(60);
    public TimeSpan BreakerBreakDurationOrDefault => BreakerBreakDuration ?? TimeSpan.FromSeconds(30);

    /// <summary>Every setting at its default, as <c>AgentConsole:Tools:Resilience</c> starts.</summary>
    public static ToolResilienceOptions Defaults()
    {
        var none = new ToolResilienceOptions();
        return new()
        {
            AttemptTimeout = none.AttemptTimeoutOrDefault,
            TotalTimeout = none.TotalTimeoutOrDefault,
            MaxRetries = none.MaxRetriesOrDefault,
            BaseDelay = none.BaseDelayOrDefault,
            MaxDelay = none.MaxDelayOrDefault,
            MaxRetryAfter = none.MaxRetryAfterOrDefault,
            BreakerFailureRatio = none.BreakerFailureRatioOrDefault,
            BreakerMinimumThroughput = none.BreakerMinimumThroughputOrDefault,
            BreakerSamplingDuration = none.BreakerSamplingDurationOrDefault,
            BreakerBreakDuration = none.BreakerBreakDurationOrDefault,
        };
    }

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

    /// <summary>What is wrong with these settings (Polly's own limits included), each message naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Errors(string prefix)
    {
        var oneDay = TimeSpan.FromDays(1);
        foreach (var (name, value, minimum) in new (string, TimeSpan?, TimeSpan)[]
        {
            (nameof(AttemptTimeout), AttemptTimeout, TimeSpan.FromMilliseconds(10)),
            (nameof(TotalTimeout), TotalTimeout, TimeSpan.FromMilliseconds(10)),
            (nameof(BaseDelay), BaseDelay, TimeSpan.FromMilliseconds(1)),
            (nameof(MaxDelay), MaxDelay, TimeSpan.FromMilliseconds(1)),
            (nameof(MaxRetryAfter), MaxRetryAfter, TimeSpan.Zero),
            (nameof(BreakerSamplingDuration), BreakerSamplingDuration, TimeSpan.FromMilliseconds(500)),
            (nameof(BreakerBreakDuration), BreakerBreakDuration, TimeSpan.FromMilliseconds(500)),
        })
        {
            if (value is { } v && (v < minimum || v <= TimeSpan.Zero || v > oneDay))
            {
                yield return $"{prefix}:{name} ({v}) must be a positive duration of at least {minimum.TotalMilliseconds:0} ms and at most one day.";
            }
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"{prefix}:MaxRetries ({MaxRetries}) must be between 0 and 10.";
        }

        if (BreakerFailureRatio is { } ratio && (double.IsNaN(ratio) || ratio <= 0 || ratio > 1))
        {
            yield return $"{prefix}:BreakerFailureRatio ({ratio}) must be more than 0 and at most 1.";
        }

        if (BreakerMinimumThroughput is < 2)
        {
            yield return $"{prefix}:BreakerMinimumThroughput ({BreakerMinimumThroughput}) must be at least 2.";
        }

        if (TotalTimeoutOrDefault < AttemptTimeoutOrDefault)
        {
            yield return $"{prefix}:TotalTimeout ({TotalTimeoutOrDefault}) must be at least AttemptTimeout ({AttemptTimeoutOrDefault}).";
        }

        if (MaxDelayOrDefault < BaseDelayOrDefault)
        {
            yield return $"{prefix}:MaxDelay ({MaxDelayOrDefault}) must be at least BaseDelay ({BaseDelayOrDefault}).";
        }
    }
}
