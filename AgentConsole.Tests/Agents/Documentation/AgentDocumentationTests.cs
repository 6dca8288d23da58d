using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Agents.Documentation;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Chat;
using AgentConsole.Engine.Tools.Crm;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Agents.Documentation;

/// <summary>The demo lead router's documentation, built from the real catalogs of a SQLite-backed engine.</summary>
public sealed class AgentDocumentationTests : IAsyncLifetime
{
    private readonly string _folder = RunHost.NewFolder();
    private RunHost _host = default!;

    private AgentDocumentation Documentation => _host.Services.GetRequiredService<AgentDocumentation>();

    public async Task InitializeAsync()
    {
        _host = await RunHost.StartAsync(_folder);
        // A policy that differs from the defaults, so the document shows the agent's own values.
        await _host.UpdateDemoAgentAsync(d =>
        {
            d.Escalation.ApprovalTools = [ChatConnector.NotifyTool];
            d.Escalation.SlaMinutes = 120;
            d.Escalation.DefaultAction = EscalationDefaultAction.Reject;
            d.Escalation.Reviewers = ["ray@example.com"];
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    [Fact]
    public async Task BuildAsync_ReturnsNull_WhenTheAgentIsUnknown()
    {
        Assert.Null(await Documentation.BuildAsync("no-such-agent"));
    }

    [Fact]
    public async Task BuildAsync_TakesToolsFromTheRegistry_AndApprovalFromTheEngineRuleAndThePolicy()
    {
        var doc = (await Documentation.BuildAsync(DemoWorkspace.LeadRouterKey))!;
        var registry = _host.Services.GetRequiredService<ToolRegistry>();

        Assert.Equal(DemoWorkspace.LeadRouter().Tools.Select(g => g.Tool), doc.Tools.Select(t => t.Key));
        foreach (var tool in doc.Tools)
        {
            var declared = registry.Find(tool.Key)!;
            Assert.Equal((declared.Title, declared.Reach, declared.Reversible, declared.CostToUndoUsd), (tool.Title, tool.Reach, tool.Reversible, tool.CostToUndoUsd));
        }

        Assert.Null(doc.Tools.Single(t => t.Key == CrmTools.FindCompany).ApprovalReason);
        Assert.Equal(ToolScope.Read, doc.Tools.Single(t => t.Key == CrmTools.FindCompany).Scope);
        // Listed in the escalation policy's approval tools, though the engine's rule alone would let it run.
        Assert.Contains("escalation policy", doc.Tools.Single(t => t.Key == ChatConnector.NotifyTool).ApprovalReason, StringComparison.Ordinal);
        Assert.Equal(100m, doc.ApprovalThresholdUsd);
        Assert.Equal(AutonomyLevel.ExternalLowStakes, doc.AutonomyLevel);
    }

    [Fact]
    public async Task BuildAsync_ShowsTheBoundDecisionAtItsPublishedVersion_AndTheTriggers()
    {
        var doc = (await Documentation.BuildAsync(DemoWorkspace.LeadRouterKey))!;

        var decision = Assert.Single(doc.Decisions);
        Assert.Equal(DemoWorkspace.LeadRoutingKey, decision.Key);
        Assert.True(decision.Published);
        Assert.Equal(1, decision.Version);
        Assert.Equal(
            [DemoWorkspace.ContactFormKey, DemoWorkspace.WebsiteLeadsKey],
            doc.Triggers.Select(t => t.Key).Order(StringComparer.Ordinal));
        var webhook = doc.Triggers.Single(t => t.Key == DemoWorkspace.WebsiteLeadsKey);
        Assert.Equal("event: \"lead.created\" and source: \"website contact form\" and industry: " +
            string.Join(",", DemoWorkspace.TargetIndustries.Select(i => $"\"{i}\"")), webhook.Filter);
    }

    [Fact]
    public async Task Markdown_ContainsEverySection_WithTheLeadRoutersRealToolsTablesAndPolicy()
    {
        var markdown = AgentDocumentMarkdown.Render((await Documentation.BuildAsync(DemoWorkspace.LeadRouterKey))!);

        foreach (var heading in new[] { "# Inbound lead router — agent documentation", "## Scope", "### Triggers", "## Tools", "## Decision tables", "### Lead routing (`lead-routing`)", "### Engine routes", "## Escalation logic", "## Limits", "## Prompt" })
        {
            Assert.Contains($"\n{heading}\n", "\n" + markdown, StringComparison.Ordinal);
        }

        Assert.Contains("- **Autonomy level:** External low-stakes — ", markdown, StringComparison.Ordinal);
        Assert.Contains("| Contact us | `contact-us` | Form | yes | every event |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Find a company in the CRM | `crm_find_company` | read | read | internal | yes | $0 | no |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Send an e-mail | `{EmailConnector.SendTool}` | write | write | external |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| `{ChatConnector.NotifyTool}` | write | write | internal | yes |", markdown, StringComparison.Ordinal);
        Assert.Contains("Version: published version 1", markdown, StringComparison.Ordinal);
        Assert.Contains("Hit policy: UNIQUE (U)", markdown, StringComparison.Ordinal);
        Assert.Contains("| # | Employees (input) | Industry (input) | route (output) | Why |\n| --- | --- | --- | --- | --- |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| 1 | < 10 | - | \"SMB sequence\" | Fewer than 10 employees |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 2 | [11..500] | - | \"Mid-market sequence\" | 11 to 500 employees |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 3 | > 500 | - | \"Human review\" | More than 500 employees |", markdown, StringComparison.Ordinal);
        Assert.Contains("- When `lead-routing` gives route = “Human review” the engine escalates", markdown, StringComparison.Ordinal);
        Assert.Contains($"- Tools whose every call needs approval: `{ChatConnector.NotifyTool}`", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Reviewers:** Reviewer, Owner; named: ray@example.com (Admins always may)", markdown, StringComparison.Ordinal);
        Assert.Contains("- **SLA:** 2 h, reminder 30 min before it runs out", markdown, StringComparison.Ordinal);
        Assert.Contains("- **When nobody decides in time:** reject", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Four eyes:** on", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Steps per run:** 15\n- **Budget per run:** $2.00\n- **Wall clock per run:** 5 min\n", markdown, StringComparison.Ordinal);
        // The demo seeds the lead router's prompt as published v1: the document shows the text runs send.
        Assert.Contains("Version: v1 — Prompt v1, published", markdown, StringComparison.Ordinal);
        Assert.Contains("```text\n# Inbound lead router\n\n## Role\nYou are the inbound lead router", markdown, StringComparison.Ordinal);
        Assert.Contains("You must never:", markdown, StringComparison.Ordinal);
    }
}
