namespace AgentConsole.Engine.Notifications;

/// <summary>
/// An in-app notification: what a snackbar shows. <paramref name="EscalationId"/> is null for a test and an alert;
/// <paramref name="AlertId"/> is set for alert events only.
/// </summary>
public sealed record InAppNotification(Guid? EscalationId, string AgentName, string Reason, NotificationEvent Event, string Link, long? AlertId = null);
