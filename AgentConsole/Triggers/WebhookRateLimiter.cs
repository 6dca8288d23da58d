using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using AgentConsole.Engine.Triggers;
using Microsoft.Extensions.Options;

namespace AgentConsole.Triggers;

/// <summary>
/// Requests per second each webhook trigger accepts: a token bucket per trigger (ASP.NET Core's rate limiters, burst
/// twice the rate) at <see cref="TriggerOptions.RateLimitPerSecond"/> or the trigger's <c>rateLimitPerSecond</c>.
/// Refusals are counted in memory only — a flood must not write to the database — and logged at most once per
/// trigger per minute.
/// </summary>
public sealed partial class WebhookRateLimiter : IDisposable
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    // The limit is part of the partition, so a changed setting takes effect with a fresh bucket.
    private readonly PartitionedRateLimiter<(string Key, int PerSecond)> _limiter =
        PartitionedRateLimiter.Create<(string Key, int PerSecond), (string Key, int PerSecond)>(partition =>
            RateLimitPartition.GetTokenBucketLimiter(partition, p => new TokenBucketRateLimiterOptions
            {
                TokenLimit = 2 * p.PerSecond,
                // Refilled ten times a second rather than once, so a steady stream never meets an empty bucket at a tick.
                TokensPerPeriod = TokensPerTick(p.PerSecond),
                ReplenishmentPeriod = TimeSpan.FromSeconds(TokensPerTick(p.PerSecond) / (double)p.PerSecond),
                QueueLimit = 0,
            }));

    private readonly ConcurrentDictionary<string, Refusals> _refusals = new(StringComparer.Ordinal);
    private readonly IOptions<TriggerOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookRateLimiter> _logger;

    public WebhookRateLimiter(IOptions<TriggerOptions> options, TimeProvider time, ILogger<WebhookRateLimiter> logger)
    {
        (_options, _time, _logger) = (options, time, logger);
    }

    /// <summary>Null when the request may proceed; otherwise how long the sender should wait.</summary>
    public TimeSpan? Acquire(TriggerEntry entry)
    {
        var perSecond = entry.IntSetting("rateLimitPerSecond") is { } own and > 0 ? own : _options.Value.RateLimitPerSecond;
        using var lease = _limiter.AttemptAcquire((entry.Trigger.Key, perSecond));
        if (lease.IsAcquired)
        {
            return null;
        }

        Count(entry.Trigger.Key, perSecond);
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter.Dispose();

    private void Count(string key, int perSecond)
    {
        var refusals = _refusals.GetOrAdd(key, _ => new Refusals());
        var now = _time.GetUtcNow();
        long refused;
        lock (refusals)
        {
            refusals.Count++;
            if (refusals.LoggedAt is { } last && now - last < LogInterval)
            {
                return;
            }

            refused = refusals.Count;
            refusals.Count = 0;
            refusals.LoggedAt = now;
        }

        LogRefused(_logger, key, refused, perSecond);
    }

    private static int TokensPerTick(int perSecond) => Math.Max(1, perSecond / 10);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook trigger {Key} refused {Refused} request(s) over its limit of {PerSecond}/s (logged at most once a minute)")]
    private static partial void LogRefused(ILogger logger, string key, long refused, int perSecond);

    private sealed class Refusals
    {
        public long Count { get; set; }

        public DateTimeOffset? LoggedAt { get; set; }
    }
}
