using AgentConsole.Components.Layout;
using AgentConsole.Engine.Notifications;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace AgentConsole.Tests.Components;

/// <summary>A reviewer who is online sees a snackbar with a link for each in-app notification; a closed one stops listening.</summary>
public sealed class EscalationSnackbarTests : MudTestContext
{
    public EscalationSnackbarTests()
        : base(services => services.AddSingleton<InAppNotifications>())
    {
    }

    private InAppNotifications InApp => Services.GetRequiredService<InAppNotifications>();

    [Fact]
    public void NewEscalation_ShowsASnackbar_WithAgentReasonAndALinkToIt()
    {
        var provider = Render<MudSnackbarProvider>();
        var listener = Render<EscalationSnackbar>();
        var id = Guid.NewGuid();

        InApp.Publish(new InAppNotification(id, "Inbound lead router", "Large account needs a person", NotificationEvent.Raised, $"https://console.example.com/escalations/{id}"));

        provider.WaitForAssertion(() =>
            Assert.Equal("New escalation: Inbound lead router — Large account needs a person Open", provider.Find("[data-testid=escalation-snackbar]").TextContent.Trim()));
        Assert.Equal($"/escalations/{id}", provider.Find("[data-testid=escalation-snackbar-link]").GetAttribute("href"));

        listener.Instance.Dispose();
        InApp.Publish(new InAppNotification(Guid.NewGuid(), "Other agent", "Second", NotificationEvent.Raised, "https://console.example.com/escalations"));
        Assert.Single(provider.FindAll("[data-testid=escalation-snackbar]"));
    }

    [Fact]
    public void Reminder_AndDefaultAction_SayWhatHappened()
    {
        var reminder = new InAppNotification(Guid.NewGuid(), "Agent", "Reason", NotificationEvent.Reminder, "x");
        var applied = reminder with { Event = NotificationEvent.DefaultApplied };

        Assert.Equal("Escalation due soon: Agent — Reason", EscalationSnackbar.Text(reminder));
        Assert.Equal("Default action applied: Agent — Reason", EscalationSnackbar.Text(applied));
        Assert.Equal("/escalations", EscalationSnackbar.Href(reminder with { EscalationId = null }));
    }
}
