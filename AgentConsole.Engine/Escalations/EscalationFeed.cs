using AgentConsole.Engine.Cluster;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// Fan-out, on every instance (through <see cref="ClusterSignals"/>), of <see cref="EscalationChanged"/> to open
/// queue pages. A subscriber that throws is logged and skipped, so one broken circuit never stops the others (or the
/// decision that published).
/// </summary>
public sealed partial class EscalationFeed
{
    private const string Topic = "escalations";
    private readonly ClusterSignals _cluster;
    private readonly ILogger<EscalationFeed> _logger;

    public EscalationFeed(ClusterSignals cluster, ILogger<EscalationFeed> logger)
    {
        (_cluster, _logger) = (cluster, logger);
        cluster.Subscribe<EscalationChanged>(Topic, Deliver);
    }

    public event Action<EscalationChanged>? Changed;

    public void Publish(EscalationChanged change)
    {
        Deliver(change);
        _cluster.Broadcast(Topic, change);
    }

    private void Deliver(EscalationChanged change)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<EscalationChanged>>() ?? [])
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(_logger, change.EscalationId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An escalation subscriber failed on {EscalationId}")]
    private static partial void LogSubscriberFailed(ILogger logger, Guid escalationId, Exception ex);
}
