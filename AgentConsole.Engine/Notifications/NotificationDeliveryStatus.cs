namespace AgentConsole.Engine.Notifications;

public enum NotificationDeliveryStatus
{
    /// <summary>Waiting for its first or next attempt (<see cref="NotificationDelivery.NextAttemptAt"/>).</summary>
    Pending,

    Sent,

    /// <summary>Gave up: the attempts ran out or the failure was one retrying cannot fix.</summary>
    Failed,
}
