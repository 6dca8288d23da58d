using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// In-process fan-out of <see cref="AlertChanged"/> to open pages (the alerts page, the dashboard, the navigation
/// badge). A subscriber that throws is logged and skipped, so one broken circuit never stops the others or the job.
/// </summary>
public sealed partial class AlertFeed(ILogger<AlertFeed> logger)
{
    public event Action<AlertChanged>? Changed;

    public void Publish(AlertChanged change)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<AlertChanged>>() ?? [])
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(logger, change.AlertId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An alert subscriber failed on alert {AlertId}")]
    private static partial void LogSubscriberFailed(ILogger logger, long alertId, Exception ex);
}
