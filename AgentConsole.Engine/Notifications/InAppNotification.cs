namespace AgentConsole.Engine.Notifications;

/// <summary>An in-app notification: what a reviewer's snackbar shows. <paramref name="EscalationId"/> is null for a test.</summary>
public sealed record InAppNotification(Guid? EscalationId, string AgentName, string Reason, NotificationEvent Event, string Link);
