using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Triggers.Schedules;

/// <summary>
/// At start-up, registers the recurring job of every enabled schedule again, so a fresh or restored Hangfire database
/// gets them back (AddOrUpdate makes this safe on every start and on every instance). Runs after the migrations.
/// </summary>
internal sealed partial class ScheduleTriggerRegistration(
    TriggerCatalog catalog,
    ILogger<ScheduleTriggerRegistration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (catalog.Handler(TriggerKind.Schedule) is not { } handler)
        {
            return;
        }

        foreach (var trigger in await catalog.ListAsync(ct: cancellationToken))
        {
            if (trigger.Kind != TriggerKind.Schedule)
            {
                continue;
            }

            try
            {
                await handler.AppliedAsync(trigger, deleted: false, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One broken schedule must not keep the others (or the app) from starting; its page shows it unhealthy.
                LogFailed(logger, ex, trigger.Key);
                await catalog.RecordCheckAsync(trigger.Id, $"Could not register the schedule: {ex.Message}", ct: cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not register the recurring job of schedule trigger {Key}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string key);
}
