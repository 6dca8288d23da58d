using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;

namespace AgentConsole.Tests.Agents;

[Collection(ConsoleHostGroup.Name)]
public sealed class AgentScopingApiTests(ConsoleHostFixture host) : IDisposable
{
    private readonly HttpClient _client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _client.Dispose();

    private static JsonObject Scoping(string pilotStart) => new()
    {
        ["hourlyRateUsd"] = 40,
        ["hoursPerWeek"] = 10,
        ["weeklyVolume"] = 60,
        ["pilotStart"] = pilotStart,
        ["notes"] = "Two people triage the inbox.",
    };

    [Fact]
    public async Task Scoping_IsUnconfiguredAtFirst_ThenRoundTrips_WithTheBaselineAndRevisionAsETag()
    {
        var key = await NewAgentAsync();

        using var empty = await _client.GetAsync($"/api/v1/agents/{key}/scoping");
        using var saved = await PutAsync(key, Scoping("2026-12-01"), "\"0\"");
        using var read = await _client.GetAsync($"/api/v1/agents/{key}/scoping");

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.False((await ReadAsync(empty)).GetProperty("configured").GetBoolean());
        Assert.Equal("\"0\"", empty.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"1\"", saved.Headers.ETag?.Tag);
        var body = await ReadAsync(read);
        Assert.True(body.GetProperty("configured").GetBoolean());
        Assert.Equal("2026-12-01", body.GetProperty("pilotStart").GetString());
        Assert.Equal("api-key:Bootstrap key", body.GetProperty("updatedBy").GetString());
        var baseline = body.GetProperty("baseline");
        // $40 × 10 h × 50 weeks; 10 minutes a case.
        Assert.Equal(20_000m, baseline.GetProperty("annualManualCostUsd").GetDecimal());
        Assert.Equal("Borderline", baseline.GetProperty("fit").GetString());
        Assert.Equal(10m, baseline.GetProperty("manualMinutesPerCase").GetDecimal());

        using var audit = await _client.GetAsync($"/api/v1/audit?agent={key}");
        var events = (await ReadAsync(audit)).GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "agent.scoping.updated"
            && e.GetProperty("summary").GetString()!.Contains("hourlyRateUsd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutScoping_Returns400WithFieldErrors_412OnAStaleRevision_And404ForAnUnknownAgent()
    {
        var key = await NewAgentAsync();
        var invalid = Scoping("2026-12-01");
        invalid["hoursPerWeek"] = 200;
        invalid["weeklyVolume"] = 0;

        using var bad = await PutAsync(key, invalid, null);
        using var first = await PutAsync(key, Scoping("2026-12-01"), null);
        using var stale = await PutAsync(key, Scoping("2026-12-02"), "\"0\"");
        using var unknown = await PutAsync("no-such-agent", Scoping("2026-12-01"), null);

        var problem = await ProblemJson.ReadAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["hoursPerWeek", "weeklyVolume"], problem.ErrorFields());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ProblemJson.ReadAsync(stale, HttpStatusCode.PreconditionFailed);
        await ProblemJson.ReadAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutScoping_Returns400ProblemJson_WhenTheBodyIsNotScopingJson()
    {
        var key = await NewAgentAsync();

        using var wrongType = await PutAsync(key, new JsonObject { ["hourlyRateUsd"] = "lots" }, null);

        await ProblemJson.ReadAsync(wrongType, HttpStatusCode.BadRequest);
        using var read = await _client.GetAsync($"/api/v1/agents/{key}/scoping");
        Assert.False((await ReadAsync(read)).GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task PutScoping_IsForbiddenToAManager_WhoMayStillReadTheScorecard()
    {
        var key = await NewAgentAsync();
        using var manager = await CookieSession.SignInAsync(host, Roles.Manager);
        var token = await manager.AntiforgeryHeaderTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/agents/{key}/scoping") { Content = JsonContent.Create(Scoping("2026-12-01")) };
        request.Headers.Add(AgentConsole.Access.ApiAntiforgery.HeaderName, token);

        using var put = await manager.Client.SendAsync(request);
        using var scorecard = await manager.Client.GetAsync($"/api/v1/agents/{key}/scorecard");

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scorecard.StatusCode);
    }

    [Fact]
    public async Task GetScorecard_GivesTheVerdict_And404ForAnUnknownAgent()
    {
        var key = await NewAgentAsync();
        using var notStarted = await _client.GetAsync($"/api/v1/agents/{key}/scorecard");
        using var saved = await PutAsync(key, Scoping("2020-01-06"), null);
        using var noRuns = await _client.GetAsync($"/api/v1/agents/{key}/scorecard");
        using var unknown = await _client.GetAsync("/api/v1/agents/no-such-agent/scorecard");

        Assert.Equal("NotStarted", (await ReadAsync(notStarted)).GetProperty("pilot").GetProperty("verdict").GetString());
        var pilot = (await ReadAsync(noRuns)).GetProperty("pilot");
        Assert.Equal("NoRuns", pilot.GetProperty("verdict").GetString());
        Assert.Equal(0, pilot.GetProperty("figures").GetProperty("runs").GetInt32());
        Assert.False(pilot.GetProperty("running").GetBoolean());
        await ProblemJson.ReadAsync(unknown, HttpStatusCode.NotFound);
    }

    private async Task<string> NewAgentAsync()
    {
        var key = $"t-{Guid.NewGuid():N}";
        using var created = await _client.PostAsJsonAsync("/api/v1/agents", new JsonObject { ["key"] = key, ["name"] = "Scoped agent" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return key;
    }

    private Task<HttpResponseMessage> PutAsync(string key, JsonObject body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/agents/{key}/scoping") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return _client.SendAsync(request);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
