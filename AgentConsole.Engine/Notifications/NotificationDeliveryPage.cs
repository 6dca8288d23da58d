namespace AgentConsole.Engine.Notifications;

/// <summary>One page of deliveries, newest first, and how many there are in all.</summary>
public sealed record NotificationDeliveryPage(IReadOnlyList<NotificationDeliveryView> Items, int Total);
