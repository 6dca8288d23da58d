using AgentConsole.Components.Pages.Escalations;
using AgentConsole.Engine.Escalations;
using Bunit;
using MudBlazor;

namespace AgentConsole.Tests.Components.Escalations;

/// <summary>The queue's header counts and filters, on a workspace of its own so the counts are exact.</summary>
public sealed class EscalationQueueFilterTests(QueueWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<QueueWorkspaceFixture>
{
    private static string[] Rows(IRenderedComponent<EscalationsPage> page) =>
        [.. page.FindAll("[data-testid=escalation-row]").Select(r => r.GetAttribute("data-escalation-id")!)];

    [Fact]
    public async Task Queue_CountsOpenOverdueAndDueSoon_AndFiltersByReasonDueAndAge()
    {
        var now = DateTimeOffset.UtcNow;
        var sla = new EscalationSla(TimeSpan.FromHours(4), TimeSpan.Zero, EscalationDefaultAction.Hold);
        var overdue = await QueueWorkspace.RaiseAsync(workspace.Host, EscalationKind.ToolFailure, at: now.AddHours(-5), sla: sla);
        var soon = await QueueWorkspace.RaiseAsync(workspace.Host, EscalationKind.Approval, QueueWorkspace.IrreversibleEmail(), at: now.AddHours(-3.5), sla: sla);
        var fresh = await QueueWorkspace.RaiseAsync(workspace.Host, EscalationKind.Approval, QueueWorkspace.IrreversibleEmail(), at: now, sla: sla);
        QueueWorkspace.SignInAsReviewer(Auth);

        var page = Render<EscalationsPage>();

        // By due time: the overdue case first, and it is the one selected.
        page.WaitForAssertion(() => Assert.Equal([overdue.Id.ToString(), soon.Id.ToString(), fresh.Id.ToString()], Rows(page)));
        Assert.Equal("3 open", page.Find("[data-testid=count-open]").TextContent.Trim());
        Assert.Equal("1 overdue", page.Find("[data-testid=count-overdue]").TextContent.Trim());
        Assert.Equal("1 due soon", page.Find("[data-testid=count-due-soon]").TextContent.Trim());
        Assert.Equal("0 claimed", page.Find("[data-testid=count-claimed]").TextContent.Trim());
        var first = page.Find("[data-testid=escalation-row]");
        Assert.Equal("true", first.QuerySelector("[data-testid=escalation-due]")!.GetAttribute("data-overdue"));
        Assert.StartsWith("overdue by 1 h", first.QuerySelector("[data-testid=escalation-due]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("waiting 5 h", first.QuerySelector("[data-testid=escalation-age]")!.TextContent.Trim());
        page.WaitForAssertion(() => Assert.Equal(overdue.Id.ToString(), page.Find("[data-testid=escalation-detail]").GetAttribute("data-escalation-id")));

        await page.InvokeAsync(() => page.FindComponent<MudSelect<EscalationKind?>>().Instance.ValueChanged.InvokeAsync(EscalationKind.Approval));
        page.WaitForAssertion(() => Assert.Equal([soon.Id.ToString(), fresh.Id.ToString()], Rows(page)));

        await page.InvokeAsync(() => page.FindComponent<MudSelect<EscalationDue?>>().Instance.ValueChanged.InvokeAsync(EscalationDue.Soon));
        page.WaitForAssertion(() => Assert.Equal([soon.Id.ToString()], Rows(page)));

        await page.InvokeAsync(() => page.FindComponent<MudSelect<EscalationDue?>>().Instance.ValueChanged.InvokeAsync(null));
        await page.InvokeAsync(() => page.FindComponent<MudSelect<TimeSpan?>>().Instance.ValueChanged.InvokeAsync(TimeSpan.FromHours(1)));
        page.WaitForAssertion(() => Assert.Equal([soon.Id.ToString()], Rows(page)));

        await page.InvokeAsync(() => page.FindComponent<MudSelect<TimeSpan?>>().Instance.ValueChanged.InvokeAsync(TimeSpan.FromDays(1)));
        page.WaitForAssertion(() => Assert.Contains("No open escalation matches these filters", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));

        page.Find("[data-testid=tab-resolved]").Click();
        page.WaitForAssertion(() => Assert.Contains("No resolved escalations match these filters", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }
}
