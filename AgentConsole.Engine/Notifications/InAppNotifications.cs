namespace AgentConsole.Engine.Notifications;

/// <summary>
/// In-process feed of in-app notifications for the console's circuits (badge, snackbar). Handlers run on the
/// dispatcher's thread and must only schedule work; one that throws never stops the others or the dispatcher.
/// </summary>
public sealed class InAppNotifications
{
    public event Action<InAppNotification>? Published;

    public void Publish(InAppNotification notification)
    {
        var handlers = Published;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<InAppNotification>>())
        {
            try
            {
                handler(notification);
            }
            catch (Exception)
            {
                // A subscriber's failure (a circuit going away) is its own business, never the delivery's.
            }
        }
    }
}
