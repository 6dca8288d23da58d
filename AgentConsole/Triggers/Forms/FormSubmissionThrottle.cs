using System.Net;
using System.Threading.RateLimiting;
using AgentConsole.Access;
using AgentConsole.Engine.Triggers;
using Microsoft.Extensions.Options;

namespace AgentConsole.Triggers.Forms;

/// <summary>
/// Submissions per client address per form (<see cref="TriggerOptions.FormSubmissionsPerMinutePerClient"/>), on the
/// limiters ASP.NET Core's rate limiting uses. Kept out of the middleware's policies because the 429 is a page for a
/// visitor, not a problem+json, and the form's key is part of the partition.
/// </summary>
public sealed class FormSubmissionThrottle(IOptions<TriggerOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perClient = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FormSubmissionsPerMinutePerClient,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Takes one submission from the client's budget for this form.</summary>
    public ThrottleResult Acquire(string formKey, IPAddress? client)
    {
        using var lease = _perClient.AttemptAcquire($"{formKey}|{RequestThrottle.IpKey(client)}");
        if (lease.IsAcquired)
        {
            return ThrottleResult.Pass;
        }

        return ThrottleResult.Refused(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
            ? retryAfter
            : TimeSpan.FromMinutes(1));
    }

    public void Dispose() => _perClient.Dispose();
}
