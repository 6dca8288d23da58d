using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentConsole.Engine.Jobs;

/// <summary>Healthy when Hangfire's storage answers; reports servers and queue figures.</summary>
internal sealed class HangfireStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var monitoring = storage.GetMonitoringApi();
            var stats = monitoring.GetStatistics();
            var data = new Dictionary<string, object>
            {
                ["servers"] = stats.Servers,
                ["enqueued"] = stats.Enqueued,
                ["processing"] = stats.Processing,
                ["failed"] = stats.Failed,
            };
            return Task.FromResult(HealthCheckResult.Healthy("Hangfire storage answers.", data));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage does not answer.", ex));
        }
    }
}
