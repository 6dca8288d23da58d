using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Triggers;

/// <summary>Limits and defaults of every trigger (section <c>AgentConsole:Triggers</c>).</summary>
public sealed class TriggerOptions
{
    public const string Section = "AgentConsole:Triggers";
    public const int DefaultDedupWindowMinutes = 24 * 60;

    /// <summary>Largest webhook or form body accepted; larger ones are answered 413 and counted as rejected.</summary>
    [Range(1_024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How far a signed webhook's timestamp may be from now (either way) before it is refused as a replay.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the previous webhook secret keeps working after a rotation, so senders can switch over.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Requests per second one trigger accepts (token bucket, burst twice this) before answering 429 with Retry-After.
    /// High enough for a busy integration (the P3 benchmark sends 2,000/s), low enough that a flood cannot starve the
    /// rest of the app; a trigger's own <c>rateLimitPerSecond</c> setting overrides it.
    /// </summary>
    [Range(1, 100_000)]
    public int RateLimitPerSecond { get; set; } = 5_000;

    /// <summary>Form submissions per minute from one client address to one form (forms face anonymous visitors).</summary>
    [Range(1, 10_000)]
    public int FormSubmissionsPerMinutePerClient { get; set; } = 10;

    /// <summary>
    /// Whether this process drains the inbox in the background (filter, mapping, run start). Off for an instance that
    /// should only receive (and in tests that drive the processor themselves); events wait until a processing one runs.
    /// </summary>
    public bool ProcessInBackground { get; set; } = true;

    /// <summary>How many received events the inbox processor filters and starts in one transaction.</summary>
    [Range(1, 1_000)]
    public int ProcessBatchSize { get; set; } = 100;

    /// <summary>How often pollers (IMAP, database records) check by default; a trigger may set its own interval.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan DefaultPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most triggers per agent.</summary>
    [Range(1, 1_000)]
    public int MaxTriggersPerAgent { get; set; } = 50;
}
