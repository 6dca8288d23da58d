using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Triggers.Polling;
using Hangfire;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Engine.Jobs;

/// <summary>Registers the engine's recurring jobs; AddOrUpdate makes this safe on every start and on every instance.</summary>
internal sealed class RecurringJobRegistration(IRecurringJobManager recurring, Microsoft.Extensions.Options.IOptions<Alerts.AlertOptions> alerts) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<AuditRetentionJob>(
            AuditRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Daily(3), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<RunRecoveryJob>(
            RunRecoveryJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<RunDataRetentionJob>(
            RunDataRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.Daily(3, 30), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<Escalations.EscalationDeadlineJob>(
            Escalations.EscalationDeadlineJob.RecurringId, job => job.SweepAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<TriggerPollJob>(
            TriggerPollJob.RecurringId, job => job.RunAsync(CancellationToken.None), TriggerPollJob.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        recurring.AddOrUpdate<Alerts.AlertEvaluationJob>(
            Alerts.AlertEvaluationJob.RecurringId, job => job.EvaluateAsync(CancellationToken.None), alerts.Value.EvaluationCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
