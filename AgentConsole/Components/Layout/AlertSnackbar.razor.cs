using AgentConsole.Engine.Notifications;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentConsole.Components.Layout;

/// <summary>
/// A snackbar for each alert that fires or resolves (in-app channel), with a link to the alerts page. The layout renders
/// it only for users the Alerts policy admits; escalation events are <see cref="EscalationSnackbar"/>'s.
/// </summary>
public sealed partial class AlertSnackbar : IDisposable
{
    [Inject] private InAppNotifications InApp { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override void OnInitialized() => InApp.Published += OnPublished;

    public static bool IsAlert(InAppNotification n) => n.Event is NotificationEvent.AlertFired or NotificationEvent.AlertResolved;

    public static string Text(InAppNotification n) => n.Event == NotificationEvent.AlertResolved
        ? $"Alert resolved: {n.AgentName} — {n.Reason}"
        : $"Alert: {n.AgentName} — {n.Reason}";

    public static string Href(InAppNotification n) => n.AlertId is { } id ? $"/alerts?alert={id}" : "/alerts";

    private void OnPublished(InAppNotification notification)
    {
        if (!IsAlert(notification))
        {
            return;
        }

        // Raised on the dispatcher's thread: hand it to this circuit's dispatcher and never wait for it.
        _ = InvokeAsync(() =>
        {
            var href = Href(notification);
            RenderFragment message = builder =>
            {
                builder.OpenElement(0, "span");
                builder.AddAttribute(1, "data-testid", "alert-snackbar");
                builder.AddContent(2, Text(notification) + " ");
                builder.OpenElement(3, "a");
                builder.AddAttribute(4, "href", href);
                builder.AddContent(5, "Open");
                builder.CloseElement();
                builder.CloseElement();
            };
            Snackbar.Add(message, notification.Event == NotificationEvent.AlertFired ? Severity.Warning : Severity.Success,
                configure: null, key: $"alert-{notification.AlertId}-{notification.Event}");
        });
    }

    public void Dispose() => InApp.Published -= OnPublished;
}
