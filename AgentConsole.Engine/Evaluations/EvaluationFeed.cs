using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// In-process fan-out of <see cref="EvaluationProgressed"/> to open pages, so a progress bar moves as cases finish.
/// A subscriber that throws is logged and skipped: a broken circuit never stops an evaluation job.
/// </summary>
public sealed partial class EvaluationFeed(ILogger<EvaluationFeed> logger)
{
    public event Action<EvaluationProgressed>? Progressed;

    public void Publish(EvaluationProgressed progress)
    {
        foreach (var handler in Progressed?.GetInvocationList().Cast<Action<EvaluationProgressed>>() ?? [])
        {
            try
            {
                handler(progress);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(logger, progress.EvaluationId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An evaluation subscriber failed on evaluation {EvaluationId}")]
    private static partial void LogSubscriberFailed(ILogger logger, Guid evaluationId, Exception ex);
}
