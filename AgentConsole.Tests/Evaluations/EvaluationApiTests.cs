using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// The evaluations API over the real host; the host's evaluations queue runs the case jobs. Each test uses an agent of
/// its own with a routing table bound to it, so the shared demo agent's runs are untouched.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class EvaluationApiTests(ConsoleHostFixture host)
{
    private async Task<HttpClient> ClientAsync(string role)
    {
        var key = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"evaluations-{role}-{Guid.NewGuid():N}", role, "test");
        return host.CreateClient(key.Secret);
    }

    /// <summary>A fresh agent with a published copy of the demo routing table (its key returned) and a test set of three cases.</summary>
    private async Task<(string Agent, string Decision, Guid Set)> AgentWithRoutingAsync(bool defaultSet = false)
    {
        var agent = $"eval-{Guid.NewGuid():N}"[..20];
        var saved = await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(new AgentDefinition { Key = agent, Name = "Evaluation " + agent }, "tests");
        Assert.Equal(AgentSaveOutcome.Saved, saved.Outcome);
        var catalog = host.Services.GetRequiredService<DecisionCatalog>();
        var model = DemoWorkspace.LeadRoutingModel();
        var created = await catalog.CreateAsync(model with { Decisions = [model.Decisions[0] with { Name = "Routing " + agent }] }, "tests", agent);
        Assert.True((await catalog.PublishDraftAsync(created.Decision.Key, "tests")).Succeeded);
        var decision = created.Decision.Key;
        TestCase Expect(string name, int employees, string route) => new()
        {
            Name = name,
            Kind = TestCaseKind.Synthetic,
            InputJson = $$"""{"company":"Acme","employees":{{employees}}}""",
            ExpectedDecisionsJson = $$"""{"{{decision}}":"{{route}}"}""",
        };
        var set = await EvaluationTestSets.CreateAsync(host.Services, agent,
            [Expect("Mid-market at 42", 42, "Mid-market sequence"), Expect("Mid-market at 300", 300, "Mid-market sequence"), Expect("SMB at 4", 4, "SMB sequence")], isDefault: defaultSet);
        return (agent, decision, set);
    }

    private static async Task<JsonElement> WaitForCompletionAsync(HttpClient client, Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var evaluation = await client.GetFromJsonAsync<JsonElement>($"/api/v1/evaluations/{id}");
            if (evaluation.GetProperty("evaluation").GetProperty("status").GetString() == nameof(EvaluationStatus.Completed))
            {
                return evaluation;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Evaluation {id} did not complete: {evaluation.GetRawText()}");
            await Task.Delay(200);
        }
    }

    private static async Task<Guid> StartAsync(HttpClient client, string agent, object? body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/agents/{agent}/evaluations", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        Assert.EndsWith($"/api/v1/evaluations/{id}", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        return id;
    }

    [Fact]
    public async Task Evaluate_Returns202_ThenScores_AndARegressedDraftIsComparedAndRefusedByTheGateUntilAnAdminOverrides()
    {
        var (agent, decision, set) = await AgentWithRoutingAsync(defaultSet: true);
        using var owner = await ClientAsync(Roles.Owner);
        using var manager = await ClientAsync(Roles.Manager);
        using var admin = await ClientAsync(Roles.Admin);

        var publishedId = await StartAsync(owner, agent, new { testSet = set });
        var published = await WaitForCompletionAsync(manager, publishedId);

        var scores = published.GetProperty("evaluation").GetProperty("scores");
        Assert.Equal(1.0, scores.GetProperty("passRate").GetDouble());
        Assert.Equal(3, published.GetProperty("evaluation").GetProperty("progress").GetProperty("total").GetInt32());
        Assert.True(published.GetProperty("meetsThreshold").GetBoolean());
        Assert.All(published.GetProperty("cases").EnumerateArray(), c => Assert.Equal("Passed", c.GetProperty("verdict").GetString()));
        Assert.True(published.GetProperty("comparison").GetProperty("isPublishedConfiguration").GetBoolean());

        await EvaluationTestSets.SaveRegressedRoutingDraftAsync(host.Services, decision);
        // No body: the draft decision, the agent's default test set.
        var draftId = await StartAsync(owner, agent, null);
        var draft = await WaitForCompletionAsync(owner, draftId);

        Assert.Equal($$"""{"{{decision}}":2}""", draft.GetProperty("evaluation").GetProperty("decisions").GetRawText());
        Assert.Equal(1.0 / 3, draft.GetProperty("evaluation").GetProperty("scores").GetProperty("passRate").GetDouble(), 6);
        Assert.False(draft.GetProperty("meetsThreshold").GetBoolean());
        var failed = draft.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == "Mid-market at 42");
        Assert.Equal("Failed", failed.GetProperty("verdict").GetString());
        Assert.Equal($"expected {decision} \"Mid-market sequence\", got \"Human review\"", failed.GetProperty("reasons")[0].GetString());
        Assert.NotNull(failed.GetProperty("runId").GetString());
        var comparison = draft.GetProperty("comparison");
        Assert.Equal(publishedId, comparison.GetProperty("baselineEvaluationId").GetGuid());
        Assert.Equal(["Mid-market at 42", "Mid-market at 300"], comparison.GetProperty("regressions").EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        using (var refused = await owner.PostAsync($"/api/v1/decisions/{decision}/publish", null))
        {
            var problem = await ProblemJson.ReadAsync(refused, HttpStatusCode.Conflict);
            Assert.Equal(draftId, problem.GetProperty("evaluationId").GetGuid());
            Assert.Equal(1.0 / 3, problem.GetProperty("passRate").GetDouble(), 6);
            Assert.Contains(draftId.ToString(), problem.Detail(), StringComparison.Ordinal);
        }

        using (var ownerOverride = await owner.PostAsJsonAsync($"/api/v1/decisions/{decision}/publish", new { overrideReason = "Because I say so" }))
        {
            await ProblemJson.ReadAsync(ownerOverride, HttpStatusCode.Forbidden);
        }

        using (var blank = await admin.PostAsJsonAsync($"/api/v1/decisions/{decision}/publish", new { overrideReason = "  " }))
        {
            await ProblemJson.ReadAsync(blank, HttpStatusCode.BadRequest);
        }

        using var overridden = await admin.PostAsJsonAsync($"/api/v1/decisions/{decision}/publish", new { overrideReason = "Every lead is reviewed during the audit week" });
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        await host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<Engine.Persistence.AgentConsoleDbContext>>().CreateDbContextAsync();
        var entry = await db.AuditEvents.Where(e => e.Action == "decision.published" && e.AgentKey == agent).OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Contains("Every lead is reviewed during the audit week", entry.Payload, StringComparison.Ordinal);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "evaluation.started" && e.AgentKey == agent && e.Payload.Contains(draftId.ToString())));

        var list = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{agent}/evaluations?limit=1");
        Assert.Equal(draftId, list.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(1, list.GetProperty("nextOffset").GetInt32());
    }

    [Fact]
    public async Task Evaluate_AnswersProblemJson_ForBadRequestsUnknownThingsAndRoles()
    {
        var (agent, _, set) = await AgentWithRoutingAsync();
        using var owner = await ClientAsync(Roles.Owner);
        using var reviewer = await ClientAsync(Roles.Reviewer);
        using var manager = await ClientAsync(Roles.Manager);

        using (var bad = await owner.PostAsJsonAsync($"/api/v1/agents/{agent}/evaluations", new { promptVersion = "latest" }))
        {
            Assert.Contains("promptVersion", (await ProblemJson.ReadAsync(bad, HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);
        }

        using (var badSet = await owner.PostAsJsonAsync($"/api/v1/agents/{agent}/evaluations", new { testSet = 12 }))
        {
            await ProblemJson.ReadAsync(badSet, HttpStatusCode.BadRequest);
        }

        using (var noDefault = await owner.PostAsJsonAsync($"/api/v1/agents/{agent}/evaluations", new { }))
        {
            Assert.Contains("no default test set", (await ProblemJson.ReadAsync(noDefault, HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);
        }

        using (var otherAgentsSet = await owner.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/evaluations", new { testSet = set }))
        {
            Assert.Contains("belongs to agent", (await ProblemJson.ReadAsync(otherAgentsSet, HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);
        }

        using (var unknownAgent = await owner.PostAsJsonAsync("/api/v1/agents/no-such-agent/evaluations", new { testSet = set }))
        {
            await ProblemJson.ReadAsync(unknownAgent, HttpStatusCode.NotFound);
        }

        using (var unknownVersion = await owner.PostAsJsonAsync($"/api/v1/agents/{agent}/evaluations", new { testSet = set, promptVersion = 7 }))
        {
            await ProblemJson.ReadAsync(unknownVersion, HttpStatusCode.NotFound);
        }

        using (var unknownEvaluation = await manager.GetAsync($"/api/v1/evaluations/{Guid.NewGuid()}"))
        {
            await ProblemJson.ReadAsync(unknownEvaluation, HttpStatusCode.NotFound);
        }

        using (var badLimit = await manager.GetAsync($"/api/v1/agents/{agent}/evaluations?limit=0"))
        {
            await ProblemJson.ReadAsync(badLimit, HttpStatusCode.BadRequest);
        }

        using (var managerStarts = await manager.PostAsJsonAsync($"/api/v1/agents/{agent}/evaluations", new { testSet = set }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, managerStarts.StatusCode);
        }

        using (var reviewerStarts = await reviewer.PostAsJsonAsync($"/api/v1/agents/{agent}/evaluations", new { testSet = set }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, reviewerStarts.StatusCode);
        }

        using var reviewerReads = await reviewer.GetAsync($"/api/v1/agents/{agent}/evaluations");
        Assert.Equal(HttpStatusCode.Forbidden, reviewerReads.StatusCode);
        Assert.Empty((await host.Services.GetRequiredService<AgentEvaluations>().ListAsync(agent)).Items);
    }
}
