using AgentConsole.Engine.Cluster;

namespace AgentConsole.Engine.Notifications;

/// <summary>
/// Feed of in-app notifications for the console's circuits (badge, snackbar) on every instance: the dispatcher that
/// delivers one runs on a single instance, and the others hear of it through <see cref="ClusterSignals"/>. Handlers
/// run on the dispatcher's (or the relay's) thread and must only schedule work; one that throws never stops the others.
/// </summary>
public sealed class InAppNotifications
{
    private const string Topic = "in-app";

    /// <summary>A snackbar shows a line or two; the reason travels to other instances cut to this many characters.</summary>
    private const int MaxReasonLength = 2_000;

    private readonly ClusterSignals _cluster;

    /// <summary>A feed for this process alone (component tests).</summary>
    public InAppNotifications()
        : this(new ClusterSignals())
    {
    }

    public InAppNotifications(ClusterSignals cluster)
    {
        _cluster = cluster;
        cluster.Subscribe<InAppNotification>(Topic, Deliver);
    }

    public event Action<InAppNotification>? Published;

    public void Publish(InAppNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Deliver(notification);
        _cluster.Broadcast(Topic, notification.Reason.Length > MaxReasonLength
            ? notification with { Reason = notification.Reason[..MaxReasonLength] + "…" }
            : notification);
    }

    private void Deliver(InAppNotification notification)
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
