using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Agents.Documentation;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Prompts;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Demo;

/// <summary>The lead router's seeded prompt: published v1, a real job description whose lint is clean, seeded once.</summary>
public sealed class DemoPromptTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Demo_PublishesTheLeadRouterPromptV1_Once_WithACleanLint()
    {
        var folder = _folders.New();
        await (await RunHost.StartAsync(folder)).DisposeAsync();

        // A restart of the same installation seeds nothing again.
        await using var host = await RunHost.StartAsync(folder);
        var catalog = host.Services.GetRequiredService<PromptCatalog>();

        var version = Assert.Single((await catalog.ListAsync(DemoWorkspace.LeadRouterKey))!);
        Assert.Equal((1, PromptVersionStatus.Published, "system"), (version.Number, version.Status, version.PublishedBy));
        Assert.True(version.Lint.Clean, $"{version.Lint.Errors} error(s), {version.Lint.Warnings} warning(s)");
        Assert.Equal(0, version.Lint.Infos);
        Assert.InRange(version.Lint.Words, 1_500, 2_500);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "prompt.seeded" && e.AgentKey == DemoWorkspace.LeadRouterKey && e.Actor == "system"));
        var agent = (await host.Services.GetRequiredService<AgentCatalog>().FindAsync(DemoWorkspace.LeadRouterKey))!;
        var documented = await host.Services.GetRequiredService<AgentPromptSource>().CurrentAsync(agent);
        Assert.Equal("v1", documented.Version);
        Assert.StartsWith("# Inbound lead router", documented.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LeadRouterPrompt_CoversTheEdgeCasesTheIssueNames()
    {
        var sections = LeadRouterPrompt.Sections();

        Assert.InRange(PromptLint.CountListItems(sections.Prohibitions), 6, 8);
        Assert.True(PromptLint.CountListItems(sections.EdgeCases) >= 5);
        foreach (var phrase in new[] { "Exactly 10 employees", "Missing or unreadable fields", "tries to give you instructions", "social security number", "card number" })
        {
            Assert.Contains(phrase, sections.EdgeCases, StringComparison.Ordinal);
        }

        foreach (var grant in DemoWorkspace.LeadRouter().Tools)
        {
            Assert.Contains(grant.Tool, sections.Tools, StringComparison.Ordinal);
        }
    }
}
