using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Access;

/// <summary>A sustained rate with a burst on top (a token bucket refilled every second).</summary>
public sealed class TokenBucketLimit
{
    /// <summary>Requests allowed at once before the sustained rate applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; }

    /// <summary>Requests per second sustained.</summary>
    [Range(1, 1_000_000)]
    public int PerSecond { get; set; }
}
