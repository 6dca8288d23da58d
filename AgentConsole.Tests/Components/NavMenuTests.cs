using AgentConsole.Access;
using AgentConsole.Components.Layout;
using AgentConsole.Engine.Access;
using Bunit;

namespace AgentConsole.Tests.Components;

/// <summary>The navigation per role; an engine host behind it because the Escalations item counts open escalations.</summary>
public sealed class NavMenuTests(EmptyWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<EmptyWorkspaceFixture>
{
    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Manager)]
    public void NavMenu_ShowsOnlyTheItems_TheRolesPoliciesAllow(string role)
    {
        var auth = Auth;
        auth.SetAuthorized("someone@example.com");
        auth.SetRoles(role);
        auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);

        var menu = Render<NavMenu>();

        var shown = menu.FindAll("[data-nav]").Select(e => e.GetAttribute("data-nav") ?? "").ToList();
        var expected = Navigation.Items.Where(i => Policies.Allows(i.Policy, [role])).Select(i => i.Title).ToList();
        Assert.Equal(expected, shown);
    }

    [Fact]
    public void Policies_GiveAdminEveryPage_AndReviewerNoConfiguration()
    {
        Assert.All(Navigation.Items, i => Assert.True(Policies.Allows(i.Policy, [Roles.Admin])));
        Assert.False(Policies.Allows(Policies.Configure, [Roles.Reviewer]));
        Assert.False(Policies.Allows(Policies.Escalations, [Roles.Manager]));
        Assert.True(Policies.Allows(Policies.Escalations, [Roles.Reviewer]));
        Assert.False(Policies.Allows(Policies.Admin, [Roles.Owner]));
        Assert.False(Policies.Allows(Policies.Alerts, [Roles.Reviewer]));
        Assert.True(Policies.Allows(Policies.Alerts, [Roles.Manager]));
        Assert.Equal(14, Navigation.Items.Count);
    }
}
