using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Escalations;

/// <summary>
/// The review queue's REST API over real HTTP: listing with filters and a cursor, claims that name who holds an item,
/// decisions refused with a clear 409/403/400 (never a 500), and the metrics.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class EscalationApiTests(ConsoleHostFixture host) : IDisposable
{
    private const string LeadRuns = $"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs";
    private readonly HttpClient _admin = host.CreateClient(ConsoleHostFixture.AdminApiKey);
    private readonly List<HttpClient> _clients = [];

    public void Dispose()
    {
        _admin.Dispose();
        _clients.ForEach(c => c.Dispose());
    }

    private async Task<HttpClient> ClientAsync(string role)
    {
        var created = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"esc-{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        var client = host.CreateClient(created.Secret);
        _clients.Add(client);
        return client;
    }

    private static object Lead(string email, string company, int employees) => new
    {
        input = new { name = "Pat Lee", email, company, employees, industry = "Software" },
    };

    /// <summary>Starts a run and waits for its escalation; returns the escalation as the API shows it.</summary>
    private async Task<JsonElement> EscalatedAsync(object lead)
    {
        using var started = await _admin.PostAsJsonAsync(LeadRuns, lead);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}");
            if (run.GetProperty("status").GetString() is "WaitingForHuman" or "StoppedByLimit")
            {
                return run.GetProperty("escalations")[0];
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} did not escalate: {run.GetRawText()}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Claim_HoldsTheItem_AnotherReviewerGets409NamingTheHolder_UntilReleased()
    {
        var escalation = await EscalatedAsync(Lead("sam@bigbank.example", "Big Bank", 1200));
        var id = escalation.GetProperty("id").GetGuid();
        var ray = await ClientAsync(Roles.Reviewer);
        var olivia = await ClientAsync(Roles.Owner);

        using var claimed = await ray.PostAsJsonAsync($"/api/v1/escalations/{id}/claim", new { });
        using var second = await olivia.PostAsJsonAsync($"/api/v1/escalations/{id}/claim", new { });
        using var decided = await olivia.PostAsJsonAsync($"/api/v1/escalations/{id}/resolve", new { action = "reject", reason = "Not ours" });

        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        var holder = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/escalations/{id}")).GetProperty("claimedBy").GetString();
        Assert.StartsWith("api-key:esc-reviewer-", holder, StringComparison.Ordinal);
        Assert.Contains(holder!, (await ProblemJson.ReadAsync(second, HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);
        Assert.Contains("is working on this escalation", (await ProblemJson.ReadAsync(decided, HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);

        using var released = await ray.PostAsJsonAsync($"/api/v1/escalations/{id}/release", new { });
        using var now = await olivia.PostAsJsonAsync($"/api/v1/escalations/{id}/resolve", new { action = "approve", value = "Mid-market sequence" });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, now.StatusCode);
    }

    [Fact]
    public async Task Resolve_WithAStaleVersion_IsA409_AndWithoutAChoice_IsA400NamingTheAllowedValues()
    {
        var escalation = await EscalatedAsync(Lead("kim@bigbank.example", "Big Bank", 2000));
        var id = escalation.GetProperty("id").GetGuid();
        var version = escalation.GetProperty("version").GetInt32();
        Assert.Equal(["SMB sequence", "Mid-market sequence"], escalation.GetProperty("choices").GetProperty("values").EnumerateArray().Select(v => v.GetString()));

        using var noChoice = await _admin.PostAsJsonAsync($"/api/v1/escalations/{id}/resolve", new { action = "approve" });
        using var stale = await _admin.PostAsJsonAsync($"/api/v1/escalations/{id}/resolve", new { action = "approve", value = "SMB sequence", version = version + 5 });
        using var badIfMatch = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/escalations/{id}/resolve") { Content = JsonContent.Create(new { action = "cancel" }) };
        badIfMatch.Headers.TryAddWithoutValidation("If-Match", "yesterday");
        using var badHeader = await _admin.SendAsync(badIfMatch);

        var problem = await ProblemJson.ReadAsync(noChoice, HttpStatusCode.BadRequest);
        Assert.Contains("\"Mid-market sequence\"", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("value", problem.ErrorFields());
        Assert.Contains("changed since you loaded it", (await ProblemJson.ReadAsync(stale, HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);
        await ProblemJson.ReadAsync(badHeader, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task FourEyes_TheKeyThatStartedTheRun_GetsA403ApprovingItsHeldEmail_AReviewerApproves()
    {
        // Initech is the sandbox CRM's high-stakes key account: the e-mail to its contact waits for approval.
        var escalation = await EscalatedAsync(Lead("peter@initech.example", "Initech", 350));
        Assert.Equal("Approval", escalation.GetProperty("kind").GetString());
        var id = escalation.GetProperty("id").GetGuid();

        using var own = await _admin.PostAsJsonAsync($"/api/v1/escalations/{id}/resolve", new { action = "approve" });
        using var badEdit = await (await ClientAsync(Roles.Reviewer)).PostAsJsonAsync($"/api/v1/escalations/{id}/resolve",
            new { action = "edit-approve", arguments = new JsonObject { ["to"] = "peter@initech.example", ["subject"] = "Hi" } });
        using var other = await (await ClientAsync(Roles.Reviewer)).PostAsJsonAsync($"/api/v1/escalations/{id}/resolve", new { action = "approve", reason = "Checked with the account executive" });

        Assert.Contains("Four eyes", (await ProblemJson.ReadAsync(own, HttpStatusCode.Forbidden)).Detail(), StringComparison.Ordinal);
        Assert.Contains("arguments", (await ProblemJson.ReadAsync(badEdit, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task List_FiltersByStatusAgentAndKind_PagesWithACursor_AndManagersCannotDecide()
    {
        var first = (await EscalatedAsync(Lead("a@bigbank.example", "Big Bank", 3000))).GetProperty("id").GetGuid();
        var second = (await EscalatedAsync(Lead("b@bigbank.example", "Big Bank", 3000))).GetProperty("id").GetGuid();
        var manager = await ClientAsync(Roles.Manager);

        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/escalations?status=open&agent={DemoWorkspace.LeadRouterKey}&kind=route&limit=1{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.True(ids.IndexOf(first) < ids.IndexOf(second) && ids.IndexOf(first) >= 0);
        using var claim = await manager.PostAsJsonAsync($"/api/v1/escalations/{first}/claim", new { });
        Assert.Equal(HttpStatusCode.Forbidden, claim.StatusCode);

        await _admin.PostAsJsonAsync($"/api/v1/escalations/{first}/resolve", new { action = "cancel" });
        var resolved = await manager.GetFromJsonAsync<JsonElement>("/api/v1/escalations?status=resolved&limit=200");
        Assert.Contains(resolved.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == first && i.GetProperty("resolution").GetString() == "cancel");
        var counts = await manager.GetFromJsonAsync<JsonElement>("/api/v1/escalations/counts");
        Assert.True(counts.GetProperty("open").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("/api/v1/escalations?status=pending", "open or resolved")]
    [InlineData("/api/v1/escalations?kind=Whim", "kind must be one of")]
    [InlineData("/api/v1/escalations?due=later", "overdue or soon")]
    [InlineData("/api/v1/escalations?limit=0", "limit must be between")]
    [InlineData("/api/v1/escalations?cursor=%25%25", "cursor")]
    [InlineData("/api/v1/escalations/metrics?days=0", "days must be between")]
    public async Task BadQueries_Get400ProblemJson(string url, string message)
    {
        using var response = await _admin.GetAsync(url);

        Assert.Contains(message, (await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ReportTheEscalationRatePerAgent()
    {
        await EscalatedAsync(Lead("c@bigbank.example", "Big Bank", 4000));

        var metrics = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/escalations/metrics?days=7");

        var agent = metrics.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("agentKey").GetString() == DemoWorkspace.LeadRouterKey);
        Assert.True(agent.GetProperty("escalatedRuns").GetInt32() >= 1);
        Assert.InRange(agent.GetProperty("rate").GetDouble(), 0.0001, 1);
        Assert.Contains(metrics.GetProperty("byReason").EnumerateArray(), r => r.GetProperty("kind").GetString() == "Route");
    }
}
