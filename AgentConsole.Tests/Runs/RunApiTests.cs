using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;

namespace AgentConsole.Tests.Runs;

/// <summary>The run and escalation REST API over real HTTP, with the in-process Hangfire server executing the runs.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class RunApiTests(ConsoleHostFixture host) : IDisposable
{
    private const string LeadRuns = $"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs";
    private readonly HttpClient _client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _client.Dispose();

    private static JsonObject Lead(int employees) => new()
    {
        ["input"] = new JsonObject
        {
            ["name"] = "Dana Lee",
            ["email"] = "dana@acme.example",
            ["company"] = "Acme GmbH",
            ["employees"] = employees,
            ["industry"] = "Software",
            ["notes"] = "Card on file 4111 1111 1111 1111",
        },
    };

    [Fact]
    public async Task StartRun_Returns202WithRunId_AndTheRunSucceedsWithItsTimeline()
    {
        using var response = await _client.PostAsJsonAsync(LeadRuns, Lead(42));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        Assert.Equal($"/api/v1/runs/{runId}", response.Headers.Location?.OriginalString);

        var run = await WaitForAsync(runId, r => r.GetProperty("status").GetString() is "Succeeded" or "Failed" or "WaitingForHuman");
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        // The demo's six tools, then the summary: seven model calls.
        Assert.Equal(7, run.GetProperty("steps").GetInt32());
        Assert.Equal(6, run.GetProperty("toolCalls").GetInt32());
        Assert.True(run.GetProperty("costUsd").GetDecimal() > 0);
        Assert.True(run.GetProperty("inputTokens").GetInt64() > 0);
        Assert.Empty(run.GetProperty("escalationIds").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(run.GetProperty("output").GetString()));
        var kinds = run.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("kind").GetString()).ToList();
        Assert.Equal("Trigger", kinds[0]);
        Assert.Contains("Decision", kinds);
        Assert.Equal(6, kinds.Count(k => k == "ToolCall"));
        Assert.Equal("Output", kinds[^1]);
        // The API shows the redacted input, never the raw card or e-mail.
        var text = run.GetRawText();
        Assert.DoesNotContain("4111 1111 1111 1111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dana@acme.example", text, StringComparison.Ordinal);
        Assert.Contains("<CARD_1>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveEscalation_ApproveResumesTheRun_AndASecondResolveIsAConflict()
    {
        using var started = await _client.PostAsJsonAsync(LeadRuns, Lead(1200));
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var waiting = await WaitForAsync(runId, r => r.GetProperty("status").GetString() == "WaitingForHuman");
        Assert.Equal(0, waiting.GetProperty("steps").GetInt32());
        var escalationId = waiting.GetProperty("escalationIds")[0].GetGuid();

        using var escalation = await _client.GetAsync($"/api/v1/escalations/{escalationId}");
        var body = await escalation.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Route", body.GetProperty("kind").GetString());
        Assert.Equal("Open", body.GetProperty("status").GetString());

        using var resolved = await _client.PostAsJsonAsync($"/api/v1/escalations/{escalationId}/resolve", new { action = "approve", comment = "Enterprise lead: go ahead", value = "Mid-market sequence" });
        Assert.Equal(HttpStatusCode.Accepted, resolved.StatusCode);
        var resumed = await WaitForAsync(runId, r => r.GetProperty("steps").GetInt32() > 0 && r.GetProperty("status").GetString() != "Running");
        Assert.Contains(resumed.GetProperty("timeline").EnumerateArray(), s => s.GetProperty("kind").GetString() == "Human");
        Assert.Equal("Approved", resumed.GetProperty("escalations")[0].GetProperty("status").GetString());

        using var again = await _client.PostAsJsonAsync($"/api/v1/escalations/{escalationId}/resolve", new { action = "reject" });
        await ProblemJson.ReadAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ResolveEscalation_CancelEndsTheRun()
    {
        using var started = await _client.PostAsJsonAsync(LeadRuns, Lead(5000));
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var waiting = await WaitForAsync(runId, r => r.GetProperty("status").GetString() == "WaitingForHuman");

        using var resolved = await _client.PostAsJsonAsync($"/api/v1/escalations/{waiting.GetProperty("escalationIds")[0].GetGuid()}/resolve", new { action = "cancel" });

        Assert.Equal(HttpStatusCode.Accepted, resolved.StatusCode);
        var run = await GetRunAsync(runId);
        Assert.Equal("Cancelled", run.GetProperty("status").GetString());
        Assert.Equal("Cancelled", run.GetProperty("escalations")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancelRun_EndsAWaitingRun_AndCancellingAgainIsAConflict()
    {
        using var started = await _client.PostAsJsonAsync(LeadRuns, Lead(2000));
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        await WaitForAsync(runId, r => r.GetProperty("status").GetString() == "WaitingForHuman");

        using var cancel = await _client.PostAsync($"/api/v1/runs/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("Cancelled", (await GetRunAsync(runId)).GetProperty("status").GetString());

        using var again = await _client.PostAsync($"/api/v1/runs/{runId}/cancel", null);
        var problem = await ProblemJson.ReadAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("already cancelled", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListRuns_FiltersByAgentAndStatus_AndPagesWithCursor()
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.PostAsJsonAsync(LeadRuns, Lead(42));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        using var first = await _client.GetAsync($"/api/v1/runs?agent={DemoWorkspace.LeadRouterKey}&limit=2");
        var page = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var cursor = page.GetProperty("nextCursor").GetString();
        Assert.False(string.IsNullOrEmpty(cursor));

        using var second = await _client.GetAsync($"/api/v1/runs?agent={DemoWorkspace.LeadRouterKey}&limit=2&cursor={Uri.EscapeDataString(cursor!)}");
        var next = await second.Content.ReadFromJsonAsync<JsonElement>();
        var firstIds = page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
        Assert.DoesNotContain(next.GetProperty("items").EnumerateArray(), r => firstIds.Contains(r.GetProperty("id").GetGuid()));

        using var none = await _client.GetAsync("/api/v1/runs?agent=no-such-agent");
        Assert.Empty((await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        using var queued = await _client.GetAsync("/api/v1/runs?status=cancelled");
        Assert.All((await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray(),
            r => Assert.Equal("Cancelled", r.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("status=finished", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1000", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    public async Task ListRuns_Returns400ProblemJson_ForBadQueries(string query, string mentioned)
    {
        using var response = await _client.GetAsync($"/api/v1/runs?{query}");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(mentioned, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StartRun_Returns400WithFieldErrors_WhenInputFailsTheAgentsSchema()
    {
        using var response = await _client.PostAsJsonAsync(LeadRuns, new { input = new { name = "A", email = "a@b.example", company = "C", employees = "many" } });

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("input.employees", problem.ErrorFields());
    }

    [Theory]
    [InlineData("{\"input\": {\"name\": ", "application/json")]
    [InlineData("{\"input\": 42}", "application/json")]
    [InlineData("{}", "application/json")]
    public async Task StartRun_Returns400ProblemJson_ForMalformedBodies(string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await _client.PostAsync(LeadRuns, content);

        await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task StartRun_Returns404_ForUnknownAgent_And409_ForPausedAgent()
    {
        using var unknown = await _client.PostAsJsonAsync("/api/v1/agents/no-such-agent/runs", Lead(42));
        await ProblemJson.ReadAsync(unknown, HttpStatusCode.NotFound);

        var key = $"paused-{Guid.NewGuid():N}"[..20];
        var agent = JsonSerializer.SerializeToNode(DemoWorkspace.LeadRouter(), JsonSerializerOptions.Web)!.AsObject();
        agent["key"] = key;
        agent["status"] = "Paused";
        using (var created = await _client.PostAsJsonAsync("/api/v1/agents", agent))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var paused = await _client.PostAsJsonAsync($"/api/v1/agents/{key}/runs", Lead(42));
        var problem = await ProblemJson.ReadAsync(paused, HttpStatusCode.Conflict);
        Assert.Contains("paused", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRunsAndEscalations_Return404ProblemJson_AndBadActionsReturn400()
    {
        using var run = await _client.GetAsync($"/api/v1/runs/{Guid.NewGuid()}");
        await ProblemJson.ReadAsync(run, HttpStatusCode.NotFound);
        using var cancel = await _client.PostAsync($"/api/v1/runs/{Guid.NewGuid()}/cancel", null);
        await ProblemJson.ReadAsync(cancel, HttpStatusCode.NotFound);
        using var escalation = await _client.PostAsJsonAsync($"/api/v1/escalations/{Guid.NewGuid()}/resolve", new { action = "approve" });
        await ProblemJson.ReadAsync(escalation, HttpStatusCode.NotFound);
        using var badAction = await _client.PostAsJsonAsync($"/api/v1/escalations/{Guid.NewGuid()}/resolve", new { action = "maybe" });
        var problem = await ProblemJson.ReadAsync(badAction, HttpStatusCode.BadRequest);
        Assert.Contains("approve, reject, edit-approve, return, take-over, cancel", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Managers_CanReadRuns_ButNotStartCancelOrResolve()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Manager);

        using var list = await session.Client.GetAsync("/api/v1/runs");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var start = await session.Client.PostAsJsonAsync(LeadRuns, Lead(42));
        await ProblemJson.ReadAsync(start, HttpStatusCode.Forbidden);
        using var resolve = await session.Client.PostAsJsonAsync($"/api/v1/escalations/{Guid.NewGuid()}/resolve", new { action = "approve" });
        await ProblemJson.ReadAsync(resolve, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListModels_ShowsTheOfflineProviderAsDefault_WithoutKeys()
    {
        using var response = await _client.GetAsync("/api/v1/models");

        var models = await response.Content.ReadFromJsonAsync<JsonElement>();
        var offline = Assert.Single(models.EnumerateArray(), m => m.GetProperty("name").GetString() == "offline");
        Assert.Equal("Offline (deterministic)", offline.GetProperty("label").GetString());
        Assert.True(offline.GetProperty("isDefault").GetBoolean());
        Assert.True(offline.GetProperty("isConfigured").GetBoolean());
        Assert.DoesNotContain("apiKey", models.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<JsonElement> GetRunAsync(Guid runId)
    {
        using var response = await _client.GetAsync($"/api/v1/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> WaitForAsync(Guid runId, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await GetRunAsync(runId);
            if (condition(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} is still {run.GetProperty("status").GetString()}: {run.GetRawText()}");
            await Task.Delay(100);
        }
    }
}
