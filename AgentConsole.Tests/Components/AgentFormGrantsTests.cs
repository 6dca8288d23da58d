using AgentConsole.Components.Pages.Agents;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.BuiltIn;
using AgentConsole.Tests.Tools;
using Bunit;

namespace AgentConsole.Tests.Components;

/// <summary>The agent editor's grants: a tool picker from the registry, scopes limited to the tool's, and the tool-count rule.</summary>
public sealed class AgentFormGrantsTests : MudTestContext
{
    private static readonly IReadOnlyList<ToolDefinition> Catalogue = new ToolRegistry([new BuiltInConnector(), new PolicyTestConnector()]).All;

    private IRenderedComponent<AgentForm> RenderForm(AgentDefinition definition) =>
        Render<AgentForm>(p => p.Add(f => f.Definition, definition).Add(f => f.Catalogue, Catalogue));

    [Fact]
    public void AddTool_GrantsTheNextUngrantedTool_AtItsLeastPrivilege()
    {
        var definition = new AgentDefinition();
        var form = RenderForm(definition);
        Assert.NotNull(form.Find("[data-testid=no-grants]"));

        form.Find("[data-testid=add-grant]").Click();

        var grant = Assert.Single(definition.Tools);
        var tool = Catalogue.First(t => !t.BuiltIn);
        Assert.Equal(tool.Key, grant.Tool);
        Assert.Equal(AgentForm.ScopesOf(tool)[0], grant.Scope);
        Assert.Single(form.FindAll("[data-testid=grant-row]"));
    }

    [Fact]
    public void ScopesOf_OffersReadForReadTools_WriteForWriteOnlyTools_AndBothWhenTheToolReadsToo()
    {
        Assert.Equal([ToolScope.Read], AgentForm.ScopesOf(PolicyTestConnector.ReadInternal));
        Assert.Equal([ToolScope.Write], AgentForm.ScopesOf(PolicyTestConnector.UpdateRecord));
        Assert.Equal([ToolScope.Read, ToolScope.Write], AgentForm.ScopesOf(PolicyTestConnector.HttpCall));
    }

    [Fact]
    public void Grants_WarnAboveEightTools_AndBuiltInsAreNeverOffered()
    {
        var definition = new AgentDefinition();
        var form = RenderForm(definition);

        // One click per grantable tool; the form renders asynchronously, so each click waits for the button.
        for (var i = 0; i < PolicyTestConnector.All.Count; i++)
        {
            form.WaitForElement("[data-testid=add-grant]").Click();
        }

        // Every registered tool is granted and nothing more is offered (built-ins never are).
        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=add-grant]")));

        Assert.Equal(PolicyTestConnector.All.Count, definition.Tools.Count);
        Assert.DoesNotContain(definition.Tools, g => g.Tool == BuiltInTools.Escalate);
        Assert.Equal(definition.Tools.Count, definition.Tools.Select(g => g.Tool).Distinct().Count());
        Assert.Contains("typical agents have 4–8", form.Find("[data-testid=tool-count-warning]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerErrors_AreShownOnTheGrantTheyName()
    {
        var definition = new AgentDefinition { Tools = [new ToolGrant { Tool = "launch_rockets", Scope = ToolScope.Write }] };
        var form = Render<AgentForm>(p => p
            .Add(f => f.Definition, definition)
            .Add(f => f.Catalogue, Catalogue)
            .Add(f => f.Errors, new Dictionary<string, string[]> { ["tools[0]"] = ["Unknown tool 'launch_rockets'."] }));

        Assert.Contains("Unknown tool 'launch_rockets'.", form.Find("[data-testid=grant-row]").TextContent, StringComparison.Ordinal);
        Assert.Contains("this build does not provide it", form.Find("[data-testid=grant-row]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveGrant_RemovesThatRow()
    {
        var definition = new AgentDefinition { Tools = [ToolGrant.For(PolicyTestConnector.ReadInternal), ToolGrant.For(PolicyTestConnector.Notify)] };
        var form = RenderForm(definition);

        form.FindAll("[data-testid=remove-grant]")[0].Click();

        Assert.Equal([PolicyTestConnector.Notify.Key], definition.Tools.Select(g => g.Tool));
    }
}
