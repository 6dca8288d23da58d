using AgentConsole.Components.Pages.Agents;
using AgentConsole.Engine.Agents.Documentation;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Tools.Crm;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Agents;

/// <summary>The demo workspace as seeded: the lead router with its decision table and triggers, no runs.</summary>
public sealed class DemoWorkspaceFixture : WorkspaceFixture
{
    public void RegisterDocumentation(IServiceCollection services)
    {
        Register(services);
        services.AddSingleton(Host.Services.GetRequiredService<AgentDocumentation>());
    }
}

public sealed class AgentDocumentationPageTests(DemoWorkspaceFixture workspace)
    : MudTestContext(workspace.RegisterDocumentation), IClassFixture<DemoWorkspaceFixture>
{
    [Fact]
    public void Page_ShowsEverySection_FromTheSameModelAsTheMarkdown()
    {
        var page = Render<AgentDocumentationPage>(p => p.Add(c => c.Key, DemoWorkspace.LeadRouterKey));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=doc-prompt]")));
        foreach (var section in new[] { "doc-scope", "doc-tools", "doc-decisions", "doc-escalation", "doc-limits" })
        {
            Assert.Single(page.FindAll($"[data-testid={section}]"));
        }

        Assert.Equal(DemoWorkspace.LeadRouter().Tools.Select(g => g.Tool), page.FindAll("[data-testid=doc-tool]").Select(r => r.GetAttribute("data-tool")));
        Assert.Equal("no", page.Find($"tr[data-tool={CrmTools.FindCompany}] [data-testid=doc-tool-approval]").TextContent.Trim());
        Assert.Equal(3, page.FindAll("[data-decision=lead-routing] [data-testid=doc-rule]").Count);
        Assert.Contains("> 500", page.FindAll("[data-testid=doc-rule]")[2].TextContent, StringComparison.Ordinal);
        Assert.Equal("Published version 1.", page.Find("[data-testid=doc-decision-version]").TextContent.Trim());
        Assert.Equal(2, page.FindAll("[data-testid=doc-trigger]").Count);
        Assert.Single(page.FindAll("[data-testid=doc-engine-route]"));
        Assert.Equal("v1", page.Find("[data-testid=prompt-version]").TextContent.Trim());
        Assert.StartsWith("# Inbound lead router", page.Find("[data-testid=prompt-text]").TextContent, StringComparison.Ordinal);
        Assert.Equal("/api/v1/agents/lead-router/documentation?download=true", page.Find("[data-testid=download-markdown]").GetAttribute("href"));
        Assert.Equal("lead-router-documentation.md", page.Find("[data-testid=download-markdown]").GetAttribute("download"));
    }

    [Fact]
    public void Page_SaysTheAgentIsNotFound_WhenTheKeyIsUnknown()
    {
        var page = Render<AgentDocumentationPage>(p => p.Add(c => c.Key, "no-such-agent"));

        page.WaitForAssertion(() => Assert.Contains("No agent with key “no-such-agent”", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=doc-scope]"));
    }
}
