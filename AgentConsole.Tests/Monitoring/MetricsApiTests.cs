using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Monitoring;

/// <summary>The metrics API over real HTTP: the dashboard's figures, roles, and clear 400/404 answers for bad windows.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class MetricsApiTests(ConsoleHostFixture host) : IDisposable
{
    private const string Summary = "/api/v1/metrics/summary";
    private readonly HttpClient _admin = host.CreateClient(ConsoleHostFixture.AdminApiKey);
    private readonly List<HttpClient> _clients = [];

    public void Dispose()
    {
        _admin.Dispose();
        _clients.ForEach(c => c.Dispose());
    }

    private async Task<HttpClient> ClientAsync(string role)
    {
        var created = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"metrics-{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        var client = host.CreateClient(created.Secret);
        _clients.Add(client);
        return client;
    }

    private async Task<int> EndedRunsAsync()
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        // Production runs only: evaluation, replay and trial runs never count in the rollups.
        return await db.Runs.CountAsync(r => r.Kind == RunKind.Production
            && (r.Status == RunStatus.Succeeded || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled || r.Status == RunStatus.HandledByHuman));
    }

    [Fact]
    public async Task Summary_CountsARunThatJustEnded_AndMatchesTheDashboardsFigures()
    {
        var manager = await ClientAsync(Roles.Manager);
        var query = $"{Summary}?agent={DemoWorkspace.LeadRouterKey}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}";
        var before = await manager.GetFromJsonAsync<JsonElement>(query);

        using var started = await _admin.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs", new
        {
            input = new { name = "Pat Lee", email = "pat@acme.example", company = "Acme GmbH", employees = 42, industry = "Software" },
        });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        for (var i = 0; i < 600 && (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}")).GetProperty("status").GetString() != "Succeeded"; i++)
        {
            await Task.Delay(100);
        }

        var response = await manager.GetAsync(query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(after.GetProperty("succeeded").GetInt32() > before.GetProperty("succeeded").GetInt32());
        Assert.True(after.GetProperty("costUsd").GetDecimal() > before.GetProperty("costUsd").GetDecimal());
        Assert.Equal(DemoWorkspace.LeadRouterKey, after.GetProperty("agent").GetString());
        var runs = after.GetProperty("runs").GetInt32();
        Assert.Equal(after.GetProperty("ended").GetInt32() + after.GetProperty("inFlight").GetInt32() + after.GetProperty("waitingForHuman").GetInt32() + after.GetProperty("stoppedByLimit").GetInt32(), runs);
        Assert.Equal((double)after.GetProperty("escalated").GetInt32() / runs, after.GetProperty("escalationRate").GetDouble(), 9);
        Assert.Contains(after.GetProperty("escalationHealth").GetString(), Enum.GetNames<EscalationHealth>());
        Assert.True(after.GetProperty("p95Milliseconds").GetDouble() > 0);
        Assert.True(after.GetProperty("costEstimated").GetBoolean(), "The Offline model's usage is estimated, so its cost is marked.");
    }

    [Theory]
    [InlineData("from=yesterday", "Invalid from")]
    [InlineData("to=2026-13-45", "Invalid to")]
    [InlineData("from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z", "Invalid window")]
    [InlineData("from=2020-01-01&to=2026-01-01", "Window too long")]
    public async Task Summary_AnswersProblemJson_ForABadWindow(string query, string title)
    {
        var response = await _admin.GetAsync($"{Summary}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Summary_Answers404_ForAnUnknownAgent()
    {
        var response = await _admin.GetAsync($"{Summary}?agent=no-such-agent");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metrics_AreForbidden_ToReviewers_AndRebuildToAllButAdmins()
    {
        var reviewer = await ClientAsync(Roles.Reviewer);
        var manager = await ClientAsync(Roles.Manager);

        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync(Summary)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("/api/v1/metrics/rollups/rebuild", null)).StatusCode);
        // Runs never un-end, so the rebuilt count lies between the ended runs counted just before and just after.
        var endedBefore = await EndedRunsAsync();
        var rebuilt = await _admin.PostAsync("/api/v1/metrics/rollups/rebuild", null);
        var endedAfter = await EndedRunsAsync();
        Assert.Equal(HttpStatusCode.OK, rebuilt.StatusCode);
        Assert.InRange((await rebuilt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endedRuns").GetInt32(), endedBefore, endedAfter);
    }
}
