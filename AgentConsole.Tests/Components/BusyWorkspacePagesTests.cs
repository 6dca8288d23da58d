using Microsoft.Extensions.DependencyInjection;
using AgentConsole.Access;
using AgentConsole.Components.Pages.Dashboard;
using AgentConsole.Components.Pages.Escalations;
using AgentConsole.Components.Pages.Tools;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Tools;
using Bunit;

namespace AgentConsole.Tests.Components;

/// <summary>With runs, an open escalation and granted tools, the pages show them rather than an empty state.</summary>
public sealed class BusyWorkspacePagesTests(BusyWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<BusyWorkspaceFixture>
{
    private static string Kpi(IRenderedComponent<DashboardPage> page, string id) =>
        page.Find($"[data-testid={id}] [data-testid=kpi-value]").TextContent.Trim();

    private void SignInAs(string role)
    {
        Auth.SetAuthorized("someone@example.com");
        Auth.SetRoles(role);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    [Fact]
    public void Dashboard_ShowsTheRunFigures_CountedFromTheRuns()
    {
        SignInAs(Roles.Manager);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=run-figures]")));
        Assert.DoesNotContain(page.FindAll("[data-testid=empty-state]"), e => e.TextContent.Contains("No runs yet", StringComparison.Ordinal));
        // One succeeded, one waiting for a person, one queued: 1 of 3 escalated, none failed.
        Assert.Equal("3", Kpi(page, "kpi-runs"));
        Assert.Equal("33.3%", Kpi(page, "kpi-escalation-rate"));
        Assert.Equal("Bad", page.Find("[data-testid=kpi-escalation-rate]").GetAttribute("data-tone"));
        Assert.NotEmpty(page.FindAll("[data-testid=redesign-warning]"));
        Assert.Equal("1", Kpi(page, "kpi-open-escalations"));
        Assert.Equal("0%", Kpi(page, "kpi-error-rate"));
        Assert.NotEqual("—", Kpi(page, "kpi-duration"));
        Assert.Equal("/runs?window=7d", page.Find("[data-testid=kpi-runs] [data-testid=kpi-value]").GetAttribute("href"));
        var row = page.Find($"[data-testid=agent-row][data-agent={DemoWorkspace.LeadRouterKey}]");
        Assert.Contains("Inbound lead router", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("Redesign", row.QuerySelector("[data-testid=agent-escalation-rate]")!.GetAttribute("data-health"));
        // Seven days in the daily table, today's holding all three runs.
        var days = page.FindAll("[data-testid=day-row]");
        Assert.Equal(7, days.Count);
        Assert.Equal("3", days[^1].QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.NotEmpty(page.FindAll("[data-testid=chart-runs] svg"));
        // The alerts were queried: none fires in this workspace (no evaluation ran), and the section says so.
        Assert.Contains("No alert is firing", page.Find("[data-testid=active-alerts]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Owner, "/escalations")]
    [InlineData(Roles.Manager, null)]
    public void Dashboard_LinksTheOpenEscalations_OnlyForRolesThatMayOpenTheQueue(string role, string? href)
    {
        SignInAs(role);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal("1", Kpi(page, "kpi-open-escalations")));
        Assert.Equal(href, page.Find("[data-testid=kpi-open-escalations] [data-testid=kpi-value]").GetAttribute("href"));
    }

    [Fact]
    public void Dashboard_PointsReviewersAtTheQueue_InsteadOfTheFigures()
    {
        SignInAs(Roles.Reviewer);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=stat-open-escalations] [data-testid=stat-value]").TextContent.Trim()));
        Assert.Equal("/escalations", page.Find("[data-testid=stat-open-escalations] [data-testid=stat-value]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=run-figures]"));
    }

    [Fact]
    public void Escalations_ListsTheOpenEscalation_WithItsAgentReasonAndRun()
    {
        var page = Render<EscalationsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=escalation-row]")));
        Assert.Empty(page.FindAll("[data-testid=empty-state]"));
        var row = page.Find("[data-testid=escalation-row]");
        Assert.Equal(workspace.Escalated.ToString(), row.GetAttribute("data-run-id"));
        Assert.Contains("Inbound lead router", row.TextContent, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(row.QuerySelector("[data-testid=escalation-reason]")!.TextContent));
        Assert.Equal("waiting under 1 min", row.QuerySelector("[data-testid=escalation-age]")!.TextContent.Trim());
        Assert.Equal("1 open", page.Find("[data-testid=count-open]").TextContent.Trim());
        // The only case is selected, and its detail links its run.
        Assert.Equal("true", row.GetAttribute("data-selected"));
        page.WaitForAssertion(() => Assert.Equal($"/runs/{workspace.Escalated}", page.Find("[data-testid=detail-run-link]").GetAttribute("href")));
    }

    [Fact]
    public void Tools_ShowEachToolsDeclaredProperties_AndTheAgentsGrantedIt()
    {
        var page = Render<ToolsPage>();

        page.WaitForAssertion(() => Assert.Equal(workspace.Host.Services.GetRequiredService<ToolRegistry>().All.Count, page.FindAll("[data-testid=tool-row]").Count));
        Assert.Empty(page.FindAll("[data-testid=empty-state]"));
        var update = page.Find("tr:has([data-tool=crm_update_lead])");
        Assert.Equal("Write", update.QuerySelector("[data-testid=tool-access]")!.TextContent.Trim());
        Assert.Equal("Internal", update.QuerySelector("[data-testid=tool-reach]")!.TextContent.Trim());
        Assert.Equal("Reversible, $2 to undo", update.QuerySelector("[data-testid=tool-undo]")!.TextContent.Trim());
        Assert.Equal("From internal record updates", update.QuerySelector("[data-testid=tool-autonomy]")!.TextContent.Trim());
        Assert.Equal(["Inbound lead router"], update.QuerySelectorAll("[data-testid=tool-grant]").Select(a => a.TextContent.Trim()));
        Assert.Equal($"/agents/{DemoWorkspace.LeadRouterKey}", update.QuerySelector("[data-testid=tool-grant]")!.GetAttribute("href"));
        Assert.Equal("Every agent (built in)", page.Find($"tr:has([data-tool={BuiltInTools.Escalate}]) [data-testid=tool-grants]").TextContent.Trim());
    }
}
