using AgentConsole.Benchmarks.Reporting;

namespace AgentConsole.Benchmarks.Webhooks;

/// <summary>What one target answered: accepted (2xx) per second and latencies in the measured window, and every 2xx sent.</summary>
internal sealed record LoadResult(string Target, int Accepted, int Errors, TimeSpan Measured, Samples Latency, int AcceptedIncludingWarmup, IReadOnlyDictionary<int, int> ErrorStatuses)
{
    public double AcceptedPerSecond => Accepted / Measured.TotalSeconds;
}
