using AgentConsole.Engine.Cluster;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// Fan-out, on every instance (through <see cref="ClusterSignals"/>), of <see cref="AlertChanged"/> to open pages
/// (the alerts page, the dashboard, the navigation badge). A subscriber that throws is logged and skipped, so one
/// broken circuit never stops the others or the job.
/// </summary>
public sealed partial class AlertFeed
{
    private const string Topic = "alerts";
    private readonly ClusterSignals _cluster;
    private readonly ILogger<AlertFeed> _logger;

    public AlertFeed(ClusterSignals cluster, ILogger<AlertFeed> logger)
    {
        (_cluster, _logger) = (cluster, logger);
        cluster.Subscribe<AlertChanged>(Topic, Deliver);
    }

    public event Action<AlertChanged>? Changed;

    public void Publish(AlertChanged change)
    {
        Deliver(change);
        _cluster.Broadcast(Topic, change);
    }

    private void Deliver(AlertChanged change)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<AlertChanged>>() ?? [])
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(_logger, change.AlertId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An alert subscriber failed on alert {AlertId}")]
    private static partial void LogSubscriberFailed(ILogger logger, long alertId, Exception ex);
}
