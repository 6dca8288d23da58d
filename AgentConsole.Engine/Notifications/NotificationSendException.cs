namespace AgentConsole.Engine.Notifications;

/// <summary>
/// A delivery attempt failed. The message names the server or host and never a credential (it is stored, shown and
/// audited); <see cref="Permanent"/> failures (bad credentials, a 4xx from the webhook, no recipients) are not retried.
/// </summary>
public sealed class NotificationSendException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
