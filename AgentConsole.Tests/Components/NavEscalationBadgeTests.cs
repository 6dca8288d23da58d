using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using Bunit;

namespace AgentConsole.Tests.Components;

/// <summary>The "Escalations" navigation item carries the number of open escalations and follows it live.</summary>
public sealed class NavEscalationBadgeTests(BusyWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<BusyWorkspaceFixture>
{
    private IRenderedComponent<NavMenu> RenderAs(string role)
    {
        Auth.SetAuthorized("rita@example.com");
        Auth.SetRoles(role);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
        return Render<NavMenu>();
    }

    [Fact]
    public async Task EscalationsItem_ShowsTheOpenCount_AndUpdatesWhenAnotherRunEscalates()
    {
        var menu = RenderAs(Roles.Reviewer);

        menu.WaitForAssertion(() => Assert.Equal("1", menu.Find("[data-nav=Escalations] [data-testid=escalation-badge]").TextContent.Trim()));
        Assert.Single(menu.FindAll("[data-testid=escalation-badge]"));

        var second = await workspace.Host.StartRunAsync(DemoWorkspace.LeadRouterKey, BusyWorkspaceFixture.EnterpriseLead);
        var detail = await workspace.Host.ExecuteAsync(second);
        Assert.Equal(RunStatus.WaitingForHuman, detail.Run.Status);

        // The executor's run update is enough: nobody reloads the page.
        menu.WaitForAssertion(() => Assert.Equal("2", menu.Find("[data-nav=Escalations] [data-testid=escalation-badge]").GetAttribute("data-count")));
    }

    [Fact]
    public void Manager_SeesNoEscalationsItem_AndSoNoBadge()
    {
        var menu = RenderAs(Roles.Manager);

        Assert.Empty(menu.FindAll("[data-testid=escalation-badge]"));
    }
}
