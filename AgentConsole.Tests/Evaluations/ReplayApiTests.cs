using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Persistence;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>
/// "Try it" and what-if replay over real HTTP, executed by the host's own Hangfire server for the evaluations queue; runs
/// of those kinds stay out of the default run list.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class ReplayApiTests(ConsoleHostFixture host) : IDisposable
{
    private const string Agent = $"/api/v1/agents/{DemoWorkspace.LeadRouterKey}";
    private readonly List<HttpClient> _clients = [];

    public void Dispose() => _clients.ForEach(c => c.Dispose());

    private async Task<HttpClient> ClientAsync(string role)
    {
        var created = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"replay-{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        var client = host.CreateClient(created.Secret);
        _clients.Add(client);
        return client;
    }

    private static JsonObject Lead(int employees, string company) => new()
    {
        ["name"] = "Dana Lee",
        ["email"] = "dana@acme.example",
        ["company"] = company,
        ["employees"] = employees,
        ["industry"] = "Software",
    };

    [Fact]
    public async Task Trial_Returns202_RunsOnTheEvaluationsQueue_AndStaysOutOfTheDefaultRunList()
    {
        var owner = await ClientAsync(Roles.Owner);
        var company = $"Trial Co {Guid.NewGuid():N}";

        using var response = await owner.PostAsJsonAsync($"{Agent}/trials", new { input = Lead(42, company) });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var run = await WaitForRunAsync(owner, runId);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal("Trial", run.GetProperty("kind").GetString());
        // The draft of the routing table if another test left one, else its published version: at least v1.
        Assert.True(run.GetProperty("configuration").GetProperty("decisions").GetProperty("lead-routing").GetInt32() >= 1);

        var production = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/runs?agent={DemoWorkspace.LeadRouterKey}&limit=200");
        Assert.DoesNotContain(production.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == runId);
        var trials = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/runs?agent={DemoWorkspace.LeadRouterKey}&kind=trial&limit=200");
        Assert.Contains(trials.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == runId);
        using var bogus = await owner.GetAsync("/api/v1/runs?kind=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Contains("Unknown kind", await bogus.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Trial_RefusesBadInput_UnknownAgents_AndRolesThatDoNotEditPrompts()
    {
        var owner = await ClientAsync(Roles.Owner);

        using var missing = await owner.PostAsJsonAsync($"{Agent}/trials", new { input = new { name = "No company" } });
        using var unknown = await owner.PostAsJsonAsync("/api/v1/agents/no-such-agent/trials", new { input = Lead(42, "Acme") });
        using var badPrompt = await owner.PostAsJsonAsync($"{Agent}/trials", new { input = Lead(42, "Acme"), promptVersion = "v999" });
        using var reviewer = await (await ClientAsync(Roles.Reviewer)).PostAsJsonAsync($"{Agent}/trials", new { input = Lead(42, "Acme") });
        using var manager = await (await ClientAsync(Roles.Manager)).PostAsJsonAsync($"{Agent}/trials", new { input = Lead(42, "Acme") });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("company", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPrompt.StatusCode);
        Assert.Contains("has no prompt version 999", await badPrompt.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);
    }

    [Fact]
    public async Task Replay_Returns202_AndTheEvaluationsQueueReplaysTheRun_Unchanged()
    {
        var owner = await ClientAsync(Roles.Owner);
        using var started = await owner.PostAsJsonAsync($"{Agent}/runs", new { input = Lead(42, $"Replay Co {Guid.NewGuid():N}") });
        var sourceId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        Assert.Equal("Succeeded", (await WaitForRunAsync(owner, sourceId)).GetProperty("status").GetString());

        using var response = await owner.PostAsJsonAsync($"{Agent}/replays", new { runIds = new[] { sourceId } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/evaluations/{id}", response.Headers.Location?.OriginalString);
        var evaluation = await WaitForEvaluationAsync(id);
        Assert.Equal((EvaluationKind.Replay, 1, 1, 0), (evaluation.Kind, evaluation.Total, evaluation.Passed, evaluation.Failed));
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        var @case = await db.EvaluationCases.SingleAsync(c => c.EvaluationId == id);
        Assert.Equal(sourceId, @case.SourceRunId);
        var replay = await db.Runs.SingleAsync(r => r.Id == @case.RunId);
        Assert.Equal((Engine.Runs.RunKind.Replay, sourceId), (replay.Kind, replay.ReplayOf));
    }

    [Theory]
    [InlineData("""{"limit":500}""", "1 to 200")]
    [InlineData("""{"status":"Running"}""", "have not finished")]
    [InlineData("""{"status":"bogus"}""", "Unknown status")]
    [InlineData("""{"from":"2026-12-07T10:00:00Z","to":"2026-12-06T10:00:00Z"}""", "before")]
    [InlineData("""{"runIds":["00000000-0000-0000-0000-000000000001"]}""", "No historical run")]
    public async Task Replay_Returns400ProblemJson_ForBadSelections(string body, string message)
    {
        var owner = await ClientAsync(Roles.Owner);

        using var response = await owner.PostAsync($"{Agent}/replays", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Replay_Returns404_ForAnUnknownAgent()
    {
        using var response = await (await ClientAsync(Roles.Owner)).PostAsJsonAsync("/api/v1/agents/no-such-agent/replays", new { limit = 5 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<JsonElement> WaitForRunAsync(HttpClient client, Guid runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}");
            if (run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "WaitingForHuman" or "StoppedByLimit")
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} is still {run.GetProperty("status").GetString()}");
            await Task.Delay(100);
        }
    }

    private async Task<Evaluation> WaitForEvaluationAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
            var evaluation = await db.Evaluations.AsNoTracking().SingleAsync(e => e.Id == id);
            if (evaluation.Status == EvaluationStatus.Completed)
            {
                return evaluation;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Evaluation {id} is still {evaluation.Status} ({evaluation.Completed}/{evaluation.Total})");
            await Task.Delay(100);
        }
    }
}
