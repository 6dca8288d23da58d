using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools.Crm;
using AgentConsole.Tests.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// Runs of the demo agent against a real OpenAI-compatible endpoint over HTTP (the real OpenAI client, its error mapping,
/// the whole middleware pipeline): the tool loop, usage and cost, redaction on the wire and the framework limits.
/// </summary>
public sealed class OpenAiCompatibleRunTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private string NewFolder() => _folders.New();

    [Fact]
    public async Task Run_CompletesTheToolLoopOverHttp_WithTheEndpointsUsageAndTheProvidersPrices()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("crm_find_company", new { company = "Acme GmbH" }).WithUsage(1000, 20),
            FakeModelReply.ToolCall("crm_update_lead", new { email = "<EMAIL_1>", route = "Mid-market sequence" }).WithUsage(1200, 30),
            FakeModelReply.ToolCall("crm_set_lead_status", new { email = "<EMAIL_1>", status = "Routed", reason = "New mid-market lead from Acme GmbH." }).WithUsage(1400, 40),
            FakeModelReply.Text("Enrolled the lead in the Mid-market sequence and told Sales EMEA.").WithUsage(1600, 50));
        await using var host = await StartHostAsync(endpoint, NewFolder());
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(("fake", "test-model"), (detail.Run.Provider, detail.Run.ModelId));
        var tools = ToolSteps(detail);
        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], tools.Select(t => t.ToolName));
        Assert.All(tools, t => Assert.False(t.IsError, t.Title));
        Assert.Equal(["call_1_0", "call_2_0", "call_3_0"], tools.Select(t => t.CallId));
        Assert.Equal("Mid-market sequence", JsonNode.Parse(tools[1].DetailJson!)!["arguments"]!["route"]!.GetValue<string>());
        Assert.Contains("dana@acme.example", tools[1].JournalJson, StringComparison.Ordinal);
        Assert.Equal("Enrolled the lead in the Mid-market sequence and told Sales EMEA.", detail.Run.Output);

        // Usage is the endpoint's, not an estimate, and cost is tokens × the configured prices (1 and 2 USD per million).
        var calls = detail.Steps.Where(s => s.Kind == RunStepKind.ModelCall).ToList();
        Assert.Equal([1000L, 1200L, 1400L, 1600L], calls.Select(c => c.InputTokens!.Value));
        Assert.Equal([20L, 30L, 40L, 50L], calls.Select(c => c.OutputTokens!.Value));
        Assert.All(calls, c => Assert.False(c.UsageEstimated));
        Assert.Equal((4, 3), (detail.Run.ModelCalls, detail.Run.ToolCalls));
        Assert.Equal((5200L, 140L), (detail.Run.InputTokens, detail.Run.OutputTokens));
        Assert.False(detail.Run.UsageEstimated);
        Assert.Equal(((5200 * 1m) + (140 * 2m)) / 1_000_000m, detail.Run.CostUsd);
        Assert.Equal(((1000 * 1m) + (20 * 2m)) / 1_000_000m, calls[0].CostUsd);
        Assert.Equal(detail.Run.CostUsd, calls.Sum(c => c.CostUsd));

        // What went over the wire: the model, the granted tools, the decision's facts, then each tool's result.
        var requests = endpoint.ParsedRequests;
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal("test-model", r.Model));
        Assert.All(requests, r => Assert.Superset(new HashSet<string> { "crm_find_company", "crm_update_lead", "crm_set_lead_status" }, r.ToolNames.ToHashSet()));
        var user = Assert.Single(requests[0].Messages, m => m.Role == "user");
        Assert.Contains("Mid-market sequence", user.Content, StringComparison.Ordinal);
        Assert.Contains("Acme GmbH", user.Content, StringComparison.Ordinal);
        string[] expectedResults = ["ACC-", "LEAD-", "Routed"];
        for (var i = 1; i < 4; i++)
        {
            var result = Assert.Single(requests[i].Messages, m => m.Role == "tool" && m.ToolCallId == $"call_{i}_0");
            Assert.Contains(expectedResults[i - 1], result.Content, StringComparison.Ordinal);
            Assert.Equal(i, requests[i].Messages.Count(m => m.Role == "tool"));
        }
    }

    [Fact]
    public async Task Run_SendsOnlyPlaceholdersToTheEndpoint_WhileToolsGetTheRealValues()
    {
        const string email = "dana@acme.example";
        const string ssn = "219-09-9999";
        const string card = "4111 1111 1111 1111";
        const string phone = "+49 30 1234567";
        string[] raw = [email, ssn, "219099999", card, "4111111111111111", phone, "30 1234567", "49301234567"];
        var input = new JsonObject
        {
            ["name"] = "Dana Lee",
            ["email"] = email,
            ["company"] = "Acme GmbH",
            ["employees"] = 42,
            ["industry"] = "Software",
            ["message"] = $"Please charge my card {card} or call me on {phone}.",
            ["notes"] = $"Customer SSN {ssn}, verified on the phone.",
        };
        const string notification = "Lead <EMAIL_1> (phone <PHONE_1>) enrolled; card <CARD_1> on file.";
        await using var endpoint = await FakeModelEndpoint.StartAsync(
            FakeModelReply.ToolCall("crm_find_company", new { company = "Acme GmbH", email = "<EMAIL_1>" }),
            FakeModelReply.ToolCall("crm_update_lead", new { email = "<EMAIL_1>", route = "Mid-market sequence" }),
            FakeModelReply.ToolCall("crm_set_lead_status", new { email = "<EMAIL_1>", status = "Routed", reason = notification }),
            FakeModelReply.Text("Enrolled <EMAIL_1>; call back on <PHONE_1>."));
        await using var host = await StartHostAsync(endpoint, NewFolder());
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, input.ToJsonString());

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(4, endpoint.CallCount);

        // No raw value in any request the endpoint received: messages, tool results, tool-call arguments echoed back.
        foreach (var body in endpoint.Requests)
        {
            foreach (var text in DecodedStrings(body))
            {
                foreach (var value in raw)
                {
                    Assert.DoesNotContain(value, text, StringComparison.Ordinal);
                }
            }
        }

        var first = DecodedStrings(endpoint.Requests[0]);
        foreach (var placeholder in new[] { "<EMAIL_1>", "<SSN_1>", "<CARD_1>", "<PHONE_1>" })
        {
            Assert.Contains(first, t => t.Contains(placeholder, StringComparison.Ordinal));
        }

        // The crm_set_lead_status call the model made is echoed back in the last request, re-redacted after the tool saw real values.
        var echoed = endpoint.ParsedRequests[3].Messages.SelectMany(m => m.ToolCalls).Single(c => c.Name == "crm_set_lead_status");
        Assert.Equal(notification, JsonNode.Parse(echoed.Arguments)!["reason"]!.GetValue<string>());
        var enrollResult = endpoint.ParsedRequests[2].Messages.Single(m => m.Role == "tool" && m.ToolCallId == "call_2_0");
        Assert.Contains("<EMAIL_1>", enrollResult.Content, StringComparison.Ordinal);

        // The tools got the real values back.
        var tools = ToolSteps(detail);
        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], tools.Select(t => t.ToolName));
        Assert.Contains(email, tools[1].JournalJson, StringComparison.Ordinal);
        var realNotification = $"Lead {email} (phone {phone}) enrolled; card {card} on file.";
        var history = await host.QueryAsync(db => db.Set<CrmStatusChange>().Where(h => h.RunId == id && h.To == CrmLeadStatus.Routed).ToListAsync());
        Assert.Equal(realNotification, Assert.Single(history).Reason);

        // The timeline and the audit hold the redacted form only (the journal, never shown, is the exception).
        foreach (var step in detail.Steps)
        {
            foreach (var value in raw)
            {
                Assert.DoesNotContain(value, step.Title, StringComparison.Ordinal);
                Assert.DoesNotContain(value, step.DetailJson ?? "", StringComparison.Ordinal);
            }
        }

        Assert.Contains("<EMAIL_1>", detail.Steps.Single(s => s.Kind == RunStepKind.Output).DetailJson, StringComparison.Ordinal);
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var events = await host.QueryAsync(db => db.AuditEvents.Where(e => e.RunId == id.ToString()).ToListAsync());
        Assert.Contains(events, e => e.Category == AuditCategory.Tool);
        Assert.Contains(events, e => e.Category == AuditCategory.Model);
        foreach (var auditEvent in events)
        {
            foreach (var value in raw)
            {
                Assert.DoesNotContain(value, auditEvent.Summary, StringComparison.Ordinal);
                Assert.DoesNotContain(value, auditEvent.Payload, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RunawayToolLoop_StopsAtTheAgentsStepLimit_AndEscalates()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(r => FakeModelReply.ToolCall("crm_find_company", new { company = $"Acme {r.CallNumber}" }));
        await using var host = await StartHostAsync(endpoint, NewFolder(), agent: a => a.MaxSteps = 5);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.StoppedByLimit, Timeline(detail));
        Assert.Equal(RunLimit.Steps, detail.Run.LimitHit);
        Assert.Null(detail.Run.LeaseOwner);
        Assert.Equal(5, endpoint.CallCount);
        Assert.Equal(5, detail.Run.ModelCalls);
        Assert.Equal(Enumerable.Range(1, 5).Select(n => $"Acme {n}"),
            ToolSteps(detail).Select(t => JsonNode.Parse(t.DetailJson!)!["arguments"]!["company"]!.GetValue<string>()));
        Assert.Single(detail.Steps, s => s.Kind == RunStepKind.Limit);
        var escalation = Assert.Single(detail.Escalations);
        Assert.Equal((EscalationKind.Limit, RunLimit.Steps, EscalationStatus.Open), (escalation.Kind, escalation.Limit, escalation.Status));
        Assert.Contains("step limit", escalation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunawayToolLoop_StopsOnBudget_BeforeACallCouldExceedIt()
    {
        const decimal budget = 10m;
        // 500 prompt and 20 answer tokens at 2,000 / 4,000 USD per million: 1.08 USD a call. Before each call the guard
        // reserves the prompt estimate plus the 1,024-token answer cap (about 6 USD), so a few calls fit, then it stops.
        await using var endpoint = await FakeModelEndpoint.StartAsync(r => FakeModelReply.ToolCall("crm_find_company", new { company = $"Acme {r.CallNumber}" }).WithUsage(500, 20));
        await using var host = await StartHostAsync(endpoint, NewFolder(), agent: a => (a.Model, a.BudgetPerRunUsd) = ("pricey", budget),
            settings: RunHost.Provider(endpoint.BaseAddress, "pricey", 2000m, 4000m));
        // The reservations above are sized for the short built-in prompt; the demo's published job description is ~2,500
        // tokens, whose estimate alone would leave no call within the budget.
        await host.QueryAsync(db => db.PromptVersions.ExecuteUpdateAsync(u => u.SetProperty(v => v.Status, Engine.Prompts.PromptVersionStatus.Retired)));
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.StoppedByLimit, Timeline(detail));
        Assert.Equal(RunLimit.Budget, detail.Run.LimitHit);
        Assert.Equal("pricey", detail.Run.Provider);
        Assert.True(detail.Run.CostUsd <= budget, $"spent {detail.Run.CostUsd}");
        Assert.InRange(detail.Run.ModelCalls, 2, 8);
        Assert.Equal(detail.Run.ModelCalls, endpoint.CallCount);
        Assert.Equal(detail.Run.ModelCalls * 1.08m, detail.Run.CostUsd);
        var escalation = Assert.Single(detail.Escalations);
        Assert.Equal((EscalationKind.Limit, RunLimit.Budget), (escalation.Kind, escalation.Limit));
    }

    [Fact]
    public async Task RunawayToolLoop_NeverReachesTheEndpoint_WhenTheFirstCallCouldExceedATinyBudget()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(r => FakeModelReply.ToolCall("crm_find_company", new { company = $"Acme {r.CallNumber}" }));
        await using var host = await StartHostAsync(endpoint, NewFolder(), agent: a => (a.Model, a.BudgetPerRunUsd) = ("pricey", 0.01m),
            settings: RunHost.Provider(endpoint.BaseAddress, "pricey", 2000m, 4000m));
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.StoppedByLimit, Timeline(detail));
        Assert.Equal(RunLimit.Budget, detail.Run.LimitHit);
        Assert.Equal(0, endpoint.CallCount);
        Assert.Equal(0m, detail.Run.CostUsd);
        Assert.Equal(EscalationKind.Limit, Assert.Single(detail.Escalations).Kind);
    }

    [Fact]
    public async Task ProviderWithoutApiKey_IsListedAsNotConfigured_AndItsRunsFailWithThatReason()
    {
        await using var endpoint = await FakeModelEndpoint.StartAsync(FakeModelReply.Text("Never asked."));
        await using var host = await StartHostAsync(endpoint, NewFolder(), agent: a => a.Model = "nokey", settings:
        [
            ("AgentConsole:Models:Providers:nokey:Kind", "OpenAI"),
            ("AgentConsole:Models:Providers:nokey:Endpoint", endpoint.BaseAddress.ToString()),
            ("AgentConsole:Models:Providers:nokey:Model", "test-model"),
            ("AgentConsole:Models:Providers:nokey:ApiKey", ""),
        ]);

        var providers = host.Services.GetRequiredService<ModelProviders>().List();
        var nokey = Assert.Single(providers, p => p.Name == "nokey");
        Assert.False(nokey.IsConfigured);
        Assert.Contains("API key", nokey.NotConfiguredReason, StringComparison.Ordinal);
        Assert.True(Assert.Single(providers, p => p.Name == "fake").IsConfigured);

        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var detail = await host.ExecuteAsync(id);

        Assert.True(detail.Run.Status == RunStatus.Failed, Timeline(detail));
        Assert.Equal(nokey.NotConfiguredReason, detail.Run.Reason);
        Assert.Contains(detail.Steps, s => s.Kind == RunStepKind.Error && s.Title == nokey.NotConfiguredReason);
        Assert.Equal(0, endpoint.CallCount);
    }
}
