using AgentConsole.Engine.Notifications;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace AgentConsole.Components.Layout;

/// <summary>
/// Shows reviewers who are online a snackbar for each new escalation (and reminders, tests) with a link to it. The
/// layout renders it only for users the Escalations policy admits. Renders nothing itself.
/// </summary>
public sealed partial class EscalationSnackbar : IDisposable
{
    [Inject] private InAppNotifications InApp { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override void OnInitialized() => InApp.Published += OnPublished;

    /// <summary>The snackbar's words, e.g. "New escalation: Inbound lead router — Large account".</summary>
    public static string Text(InAppNotification n) => n.Event switch
    {
        NotificationEvent.Reminder => $"Escalation due soon: {n.AgentName} — {n.Reason}",
        NotificationEvent.DefaultApplied => $"Default action applied: {n.AgentName} — {n.Reason}",
        NotificationEvent.Test => "Test notification: in-app notifications reach you here.",
        _ => $"New escalation: {n.AgentName} — {n.Reason}",
    };

    /// <summary>The console-relative link, so it works whatever the public base URL is.</summary>
    public static string Href(InAppNotification n) => n.EscalationId is { } id ? $"/escalations/{id}" : "/escalations";

    private void OnPublished(InAppNotification notification)
    {
        if (AlertSnackbar.IsAlert(notification))
        {
            // Alerts are for the people who read alerts (AlertSnackbar), not for every reviewer.
            return;
        }

        // Raised on the dispatcher's thread: hand it to this circuit's dispatcher and never wait for it.
        _ = InvokeAsync(() =>
        {
            var href = Href(notification);
            RenderFragment message = builder =>
            {
                builder.OpenElement(0, "span");
                builder.AddAttribute(1, "data-testid", "escalation-snackbar");
                builder.AddContent(2, Text(notification) + " ");
                builder.OpenElement(3, "a");
                builder.AddAttribute(4, "href", href);
                builder.AddAttribute(5, "data-testid", "escalation-snackbar-link");
                builder.AddContent(6, "Open");
                builder.CloseElement();
                builder.CloseElement();
            };
            Snackbar.Add(message, notification.Event == NotificationEvent.Reminder ? Severity.Warning : Severity.Info,
                configure: null,
                key: $"escalation-{notification.EscalationId}-{notification.Event}");
        });
    }

    public void Dispose() => InApp.Published -= OnPublished;
}
