using AgentConsole.Access;
using AgentConsole.Components.Pages.Tools;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>A demo workspace of its own: these tests change grants and connections.</summary>
public sealed class ToolsWorkspaceFixture : WorkspaceFixture;

/// <summary>The Tools page's connections (mode, health) and its agent × tool grant matrix.</summary>
public sealed class ToolsPageTests(ToolsWorkspaceFixture workspace) : MudTestContext(workspace.Register), IClassFixture<ToolsWorkspaceFixture>
{
    private AgentCatalog Catalog => workspace.Host.Services.GetRequiredService<AgentCatalog>();

    private ToolRegistry Registry => workspace.Host.Services.GetRequiredService<ToolRegistry>();

    private void SignIn(string role)
    {
        Auth.SetAuthorized($"{role.ToLowerInvariant()}@example.com");
        Auth.SetRoles(role);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    private async Task<Agent> NewAgentAsync(params ToolGrant[] grants)
    {
        var result = await Catalog.CreateAsync(new AgentDefinition { Key = $"t-{Guid.NewGuid():N}"[..20], Name = $"Matrix {Guid.NewGuid():N}"[..20], Tools = [.. grants] }, "tests");
        Assert.Equal(AgentSaveOutcome.Saved, result.Outcome);
        return result.Agent!;
    }

    private static string Cell(string agent, string tool) => $"[data-testid=grant-cell][data-agent='{agent}'][data-grant-tool='{tool}']";

    [Fact]
    public void Connections_ShowEachConnectionsMode_AndItsHealthOnceChecked()
    {
        SignIn(Roles.Owner);

        var page = Render<ToolsPage>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("[data-testid=connection-row]");
            Assert.Equal(Registry.Connections.Select(c => c.Key), rows.Select(r => r.GetAttribute("data-connection")));
            // Every connection answered (healthy or not, with a message); none is left checking.
            Assert.All(rows, r => Assert.NotEqual("checking", r.QuerySelector("[data-testid=connection-health]")!.GetAttribute("data-healthy")));
        });
        Assert.All(page.FindAll("[data-testid=connection-row] [data-testid=connection-mode]"), m => Assert.Equal("Sandbox", m.TextContent.Trim()));
        var tool = Registry.All.First(t => !t.BuiltIn);
        Assert.Contains(tool.Connection, page.Find($"tr:has([data-tool={tool.Key}]) [data-testid=tool-connection]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Matrix_ShowsEveryAgentsGrants_InTheirScope()
    {
        SignIn(Roles.Owner);
        var read = Registry.All.First(t => !t.BuiltIn && t.Access == ToolAccess.Read);
        var agent = await NewAgentAsync(new ToolGrant { Tool = read.Key, Scope = ToolScope.Read });

        var page = Render<ToolsPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid=matrix-row][data-agent='{agent.Key}']")));
        Assert.Equal("read", page.Find(Cell(agent.Key, read.Key)).GetAttribute("data-scope"));
        Assert.All(Registry.All.Where(t => !t.BuiltIn && t.Key != read.Key), t => Assert.Equal("none", page.Find(Cell(agent.Key, t.Key)).GetAttribute("data-scope")));
        Assert.Empty(page.FindAll($"[data-testid=grant-cell][data-grant-tool='{BuiltInTools.Escalate}']"));
    }

    [Fact]
    public async Task ClickingACell_CyclesTheGrantThroughTheScopesTheToolHas_SavingEachStep()
    {
        SignIn(Roles.Owner);
        var write = Registry.All.First(t => !t.BuiltIn && t.Access == ToolAccess.Write && !t.SupportsReadScope);
        var agent = await NewAgentAsync();
        var page = Render<ToolsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(Cell(agent.Key, write.Key))));

        page.Find($"{Cell(agent.Key, write.Key)} button").Click();

        page.WaitForAssertion(() => Assert.Equal("write", page.Find(Cell(agent.Key, write.Key)).GetAttribute("data-scope")));
        var saved = await Catalog.FindAsync(agent.Key);
        Assert.Equal(write.Key, Assert.Single(saved!.Tools).Tool);
        Assert.Equal(2, saved.Revision);

        page.Find($"{Cell(agent.Key, write.Key)} button").Click();

        page.WaitForAssertion(() => Assert.Equal("none", page.Find(Cell(agent.Key, write.Key)).GetAttribute("data-scope")));
        Assert.Empty((await Catalog.FindAsync(agent.Key))!.Tools);
    }

    [Fact]
    public async Task ClickingACell_ShowsTheConflict_WhenTheAgentChangedSinceThePageLoaded()
    {
        SignIn(Roles.Admin);
        var read = Registry.All.First(t => !t.BuiltIn && t.Access == ToolAccess.Read);
        var agent = await NewAgentAsync();
        var page = Render<ToolsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(Cell(agent.Key, read.Key))));
        var definition = AgentDefinition.From(agent);
        definition.Name = "Renamed meanwhile";
        Assert.Equal(AgentSaveOutcome.Saved, (await Catalog.UpdateAsync(agent.Key, definition, agent.Revision, "someone-else")).Outcome);

        page.Find($"{Cell(agent.Key, read.Key)} button").Click();

        page.WaitForAssertion(() => Assert.Contains("someone-else", page.Find("[data-testid=grant-problem]").TextContent, StringComparison.Ordinal));
        Assert.Empty((await Catalog.FindAsync(agent.Key))!.Tools);

        page.Find("[data-testid=grant-reload]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=grant-problem]")));
        page.Find($"{Cell(agent.Key, read.Key)} button").Click();
        page.WaitForAssertion(() => Assert.Equal("read", page.Find(Cell(agent.Key, read.Key)).GetAttribute("data-scope")));
    }

    [Fact]
    public async Task Matrix_IsReadOnly_ForUsersWhoMayNotEditAgents()
    {
        Auth.SetAuthorized("viewer@example.com");
        Auth.SetRoles(Roles.Manager);
        var agent = await NewAgentAsync();

        var page = Render<ToolsPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid=matrix-row][data-agent='{agent.Key}']")));
        Assert.Empty(page.FindAll("[data-testid=grant-toggle]"));
    }

    [Theory]
    [InlineData(ToolAccess.Read, false, new[] { "Read", null })]
    [InlineData(ToolAccess.Write, false, new[] { "Write", null })]
    [InlineData(ToolAccess.Write, true, new[] { "Read", "Write", null })]
    public void Next_OffersOnlyTheScopesTheToolHas(ToolAccess access, bool supportsRead, string?[] cycle)
    {
        var tool = new ToolDefinition("t", "t", "t", """{"type":"object"}""", access, ToolReach.Internal, true, 0, "c", "c") { SupportsReadScope = supportsRead };

        ToolScope? state = null;
        var seen = new List<string?>();
        foreach (var _ in cycle)
        {
            state = ToolsPage.Next(tool, state);
            seen.Add(state?.ToString());
        }

        Assert.Equal(cycle, seen);
    }
}
