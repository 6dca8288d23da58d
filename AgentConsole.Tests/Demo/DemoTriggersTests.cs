using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Demo;

/// <summary>The lead router's seeded triggers: a "Contact us" form and the website's webhook with the guide's filter.</summary>
public sealed class DemoTriggersTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private static JsonObject Lead(string source, string industry) => new()
    {
        ["event"] = "lead.created",
        ["leadId"] = "L-1",
        ["source"] = source,
        ["industry"] = industry,
        ["name"] = "Dana Lee",
        ["email"] = "dana@acme.example",
        ["company"] = "Acme GmbH",
        ["employees"] = 42,
    };

    [Fact]
    public async Task Demo_SeedsTheContactFormAndTheWebhook_OnceEach()
    {
        var folder = _folders.New();
        await (await RunHost.StartAsync(folder)).DisposeAsync();

        // A restart of the same installation seeds nothing again.
        await using var host = await RunHost.StartAsync(folder);
        var catalog = host.Services.GetRequiredService<TriggerCatalog>();

        var triggers = await catalog.ListAsync(DemoWorkspace.LeadRouterKey);
        var form = Assert.Single(triggers, t => t.Key == DemoWorkspace.ContactFormKey);
        var webhook = Assert.Single(triggers, t => t.Key == DemoWorkspace.WebsiteLeadsKey);
        Assert.Equal(TriggerKind.Form, form.Kind);
        Assert.Equal(TriggerKind.Webhook, webhook.Kind);
        Assert.True(form.Enabled && webhook.Enabled);
        // The form asks exactly for agent input fields, so its events need no mapping.
        var agent = (await host.Services.GetRequiredService<AgentCatalog>().FindAsync(DemoWorkspace.LeadRouterKey))!;
        var fields = JsonNode.Parse(form.SettingsJson)!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.All(fields, f => Assert.Contains(agent.InputFields, i => i.Name == f));
        Assert.Empty(RunInputValidation(agent, catalog.Handler(TriggerKind.Form)!.SamplePayload(form)));
    }

    [Fact]
    public async Task DemoWebhookFilter_PassesOnlyNewWebsiteLeadsFromTargetIndustries()
    {
        await using var host = await RunHost.StartAsync(_folders.New());
        var webhook = (await host.Services.GetRequiredService<TriggerCatalog>().FindAsync(DemoWorkspace.WebsiteLeadsKey))!;
        var agent = (await host.Services.GetRequiredService<AgentCatalog>().FindAsync(DemoWorkspace.LeadRouterKey))!;
        var filter = TriggerEvaluation.FilterOf(webhook);

        var match = TriggerEvaluation.Of(webhook, filter, agent, Lead("website contact form", "Manufacturing"));
        var otherSource = filter.Evaluate(Lead("trade fair", "Manufacturing"));
        var otherIndustry = filter.Evaluate(Lead("website contact form", "Banking"));
        var update = Lead("website contact form", "Software");
        update["event"] = "lead.updated";

        Assert.True(match.Filter.Matched);
        Assert.Empty(match.InputErrors);
        // The mapping hands the agent its own fields only.
        Assert.Null(match.Input!["leadId"]);
        Assert.Equal(42, match.Input["employees"]!.GetValue<int>());
        Assert.False(otherSource.Matched);
        Assert.Contains("source", otherSource.Reason, StringComparison.Ordinal);
        Assert.False(otherIndustry.Matched);
        Assert.Contains("industry", otherIndustry.Reason, StringComparison.Ordinal);
        Assert.False(filter.Evaluate(update).Matched);
        Assert.Equal("leadId", webhook.DedupField);
    }

    private static Dictionary<string, string[]> RunInputValidation(Agent agent, JsonObject payload) =>
        Engine.Runs.RunInputValidation.Validate(agent, TriggerMapping.Apply(null, payload, agent));
}
