using AgentConsole.Components.Pages.Sandbox;
using AgentConsole.Engine.Tools;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Sandbox;

public sealed class SandboxEffectsPageTests(BusySandboxFixture sandbox) : MudTestContext(sandbox.Register), IClassFixture<BusySandboxFixture>
{
    private IRenderedComponent<SandboxEffectsPage> RenderAt(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<SandboxEffectsPage>();
    }

    [Fact]
    public void Outbox_ShowsTheNewestPage_WithEachEmailLinkingToItsRun()
    {
        var page = RenderAt("/sandbox");

        page.WaitForAssertion(() => Assert.Equal(SandboxPanelBase<object>.PageSize, page.FindAll("[data-testid=outbox-row]").Count));
        Assert.Contains("30 e-mails", page.Find("[data-testid=outbox-count]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Follow-up 30", page.FindAll("[data-testid=outbox-subject]")[0].TextContent.Trim());
        Assert.Equal("lead30@acme.example", page.FindAll("[data-testid=outbox-to]")[0].TextContent.Trim());
        Assert.All(page.FindAll("[data-testid=effect-run]"), link => Assert.Equal($"/runs/{sandbox.Run}", link.GetAttribute("href")));
        Assert.Equal(ToolCall.Derive(sandbox.Run, "mail-30"), page.FindAll("[data-testid=outbox-row]")[0].GetAttribute("data-key"));
    }

    [Fact]
    public void Outbox_ShowsTheOlderEmails_OnTheSecondPage()
    {
        var page = RenderAt("/sandbox");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=outbox-pages]")));

        page.Find("[data-testid=outbox-pages] button[aria-label='Page 2']").Click();

        page.WaitForAssertion(() => Assert.Equal(BusySandboxFixture.Emails - SandboxPanelBase<object>.PageSize, page.FindAll("[data-testid=outbox-row]").Count));
        Assert.Equal("Follow-up 5", page.FindAll("[data-testid=outbox-subject]")[0].TextContent.Trim());
        Assert.Equal("Follow-up 1", page.FindAll("[data-testid=outbox-subject]")[^1].TextContent.Trim());
    }

    [Fact]
    public void Calendar_ShowsOnlyEventsNotYetOver_UntilPastEventsAreIncluded()
    {
        var page = RenderAt("/sandbox?tab=calendar");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=calendar-row]")));
        Assert.Equal("Intro call with Acme", page.Find("[data-testid=calendar-title]").TextContent.Trim());
        Assert.Contains("dana@acme.example", page.Find("[data-testid=calendar-attendees]").TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-11-26 13:00", page.Find("[data-testid=calendar-row]").TextContent, StringComparison.Ordinal);

        page.Find("input[data-testid=calendar-include-past], [data-testid=calendar-include-past] input").Change(true);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=calendar-row]").Count));
        Assert.Equal("Stand-up that is over", page.FindAll("[data-testid=calendar-title]")[^1].TextContent.Trim());
    }

    [Fact]
    public void Chat_ShowsThePost_AndSaysItWasMadeOutsideARun()
    {
        var page = RenderAt("/sandbox?tab=chat");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=chat-row]")));
        Assert.Equal("Sales EMEA", page.Find("[data-testid=chat-channel]").TextContent.Trim());
        Assert.Equal("New lead: Acme GmbH", page.Find("[data-testid=chat-message]").TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=effect-run-none]"));
        Assert.Empty(page.FindAll("[data-testid=effect-run]"));
    }
}

public sealed class EmptySandboxPageTests(SandboxPageFixture sandbox) : MudTestContext(sandbox.Register), IClassFixture<SandboxPageFixture>
{
    [Theory]
    [InlineData("/sandbox", "The outbox is empty")]
    [InlineData("/sandbox?tab=calendar", "No upcoming events")]
    [InlineData("/sandbox?tab=chat", "No chat notifications yet")]
    public void EachTab_SaysItIsEmpty_WhenItsTableHasNoRows(string uri, string says)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);

        var page = Render<SandboxEffectsPage>();

        page.WaitForAssertion(() => Assert.Contains(says, page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }
}
