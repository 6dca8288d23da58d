using AgentConsole.Engine.Cluster;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// Fan-out, on every instance (through <see cref="ClusterSignals"/>), of <see cref="EvaluationProgressed"/> to open
/// pages, so a progress bar moves as cases finish. A subscriber that throws is logged and skipped: a broken circuit
/// never stops an evaluation job.
/// </summary>
public sealed partial class EvaluationFeed
{
    private const string Topic = "evaluations";
    private readonly ClusterSignals _cluster;
    private readonly ILogger<EvaluationFeed> _logger;

    public EvaluationFeed(ClusterSignals cluster, ILogger<EvaluationFeed> logger)
    {
        (_cluster, _logger) = (cluster, logger);
        cluster.Subscribe<EvaluationProgressed>(Topic, Deliver);
    }

    public event Action<EvaluationProgressed>? Progressed;

    public void Publish(EvaluationProgressed progress)
    {
        Deliver(progress);
        _cluster.Broadcast(Topic, progress);
    }

    private void Deliver(EvaluationProgressed progress)
    {
        foreach (var handler in Progressed?.GetInvocationList().Cast<Action<EvaluationProgressed>>() ?? [])
        {
            try
            {
                handler(progress);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(_logger, progress.EvaluationId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An evaluation subscriber failed on evaluation {EvaluationId}")]
    private static partial void LogSubscriberFailed(ILogger logger, Guid evaluationId, Exception ex);
}
