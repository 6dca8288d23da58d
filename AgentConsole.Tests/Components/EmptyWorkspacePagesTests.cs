using Microsoft.Extensions.DependencyInjection;
using AgentConsole.Access;
using AgentConsole.Engine.Access;
using AgentConsole.Components.Pages.Dashboard;
using AgentConsole.Components.Pages.Escalations;
using AgentConsole.Components.Pages.Tools;
using AgentConsole.Engine.Tools;
using Bunit;

namespace AgentConsole.Tests.Components;

/// <summary>On an installation with nothing in it, the pages say so, because their queries found nothing.</summary>
public sealed class EmptyWorkspacePagesTests(EmptyWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<EmptyWorkspaceFixture>
{
    [Fact]
    public void Dashboard_SaysNoRunsYet_WhenThereAreNoRuns()
    {
        Auth.SetAuthorized("manager@example.com");
        Auth.SetRoles(Roles.Manager);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(Roles.Manager)).Select(p => p.Key)]);

        var page = Render<DashboardPage>();

        page.WaitForAssertion(() => Assert.Contains("No runs yet", page.FindAll("[data-testid=empty-state]")[0].TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=run-figures]"));
        Assert.Contains(page.FindAll("[data-testid=empty-state]"), e => e.TextContent.Contains("No agents yet", StringComparison.Ordinal));
    }

    [Fact]
    public void Escalations_SaysTheQueueIsClear_WhenNoneIsOpen()
    {
        var page = Render<EscalationsPage>();

        page.WaitForAssertion(() => Assert.Contains("the queue is clear", page.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=escalation-row]"));
    }

    [Fact]
    public void Tools_ListsEveryRegisteredTool_GrantedToNoAgent_WhenThereAreNoAgents()
    {
        var page = Render<ToolsPage>();

        page.WaitForAssertion(() => Assert.Equal(workspace.Host.Services.GetRequiredService<ToolRegistry>().All.Count, page.FindAll("[data-testid=tool-row]").Count));
        Assert.Empty(page.FindAll("[data-testid=empty-state]"));
        Assert.Empty(page.FindAll("[data-testid=tool-grant]"));
        var crm = page.Find("tr:has([data-tool=crm_find_company]) [data-testid=tool-grants]");
        Assert.Equal("No agent", crm.TextContent.Trim());
    }
}
