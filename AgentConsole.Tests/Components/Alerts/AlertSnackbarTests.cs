using AgentConsole.Components.Layout;
using AgentConsole.Engine.Notifications;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AgentConsole.Tests.Components.Alerts;

/// <summary>Alert events reach the alert snackbar (with a link to the alert) and never the reviewers' escalation snackbar.</summary>
public sealed class AlertSnackbarTests : MudTestContext
{
    public AlertSnackbarTests()
        : base(services => services.AddSingleton<InAppNotifications>())
    {
    }

    private InAppNotifications InApp => Services.GetRequiredService<InAppNotifications>();

    [Fact]
    public void FiredAlert_ShowsTheAlertSnackbar_WithALinkToTheAlert_AndNoEscalationSnackbar()
    {
        var provider = Render<MudSnackbarProvider>();
        Render<AlertSnackbar>();
        Render<EscalationSnackbar>();

        InApp.Publish(new InAppNotification(null, "lead-router", "Error rate of lead-router is 40 %", NotificationEvent.AlertFired,
            "https://console.example.com/alerts?alert=7", AlertId: 7));

        provider.WaitForAssertion(() =>
            Assert.Equal("Alert: lead-router — Error rate of lead-router is 40 % Open", provider.Find("[data-testid=alert-snackbar]").TextContent.Trim()));
        Assert.Equal("/alerts?alert=7", provider.Find("[data-testid=alert-snackbar] a").GetAttribute("href"));
        Assert.Empty(provider.FindAll("[data-testid=escalation-snackbar]"));
    }

    [Fact]
    public void EscalationEvents_AreNotTheAlertSnackbars()
    {
        var provider = Render<MudSnackbarProvider>();
        Render<AlertSnackbar>();

        InApp.Publish(new InAppNotification(Guid.NewGuid(), "Agent", "Reason", NotificationEvent.Raised, "x"));

        Assert.Empty(provider.FindAll("[data-testid=alert-snackbar]"));
        Assert.Equal("Alert resolved: Agent — Reason", AlertSnackbar.Text(new InAppNotification(null, "Agent", "Reason", NotificationEvent.AlertResolved, "x", 3)));
    }
}
