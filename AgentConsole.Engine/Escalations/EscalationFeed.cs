using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// In-process fan-out of <see cref="EscalationChanged"/> to open queue pages. A subscriber that throws is logged and
/// skipped, so one broken circuit never stops the others (or the decision that published).
/// </summary>
public sealed partial class EscalationFeed(ILogger<EscalationFeed> logger)
{
    public event Action<EscalationChanged>? Changed;

    public void Publish(EscalationChanged change)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<EscalationChanged>>() ?? [])
        {
            try
            {
                handler(change);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(logger, change.EscalationId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An escalation subscriber failed on {EscalationId}")]
    private static partial void LogSubscriberFailed(ILogger logger, Guid escalationId, Exception ex);
}
