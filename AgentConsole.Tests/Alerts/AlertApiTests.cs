using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Alerts;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Alerts;

/// <summary>
/// The alerts API over real HTTP: listing by status and agent, acknowledging (409 once resolved), rules CRUD with a 400
/// problem+json naming the fields, and roles (Managers read and acknowledge, Owners edit, Reviewers get 403).
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class AlertApiTests(ConsoleHostFixture host) : IDisposable
{
    private readonly List<HttpClient> _clients = [];

    public void Dispose() => _clients.ForEach(c => c.Dispose());

    private async Task<HttpClient> ClientAsync(string role)
    {
        var created = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"alerts-{role.ToLowerInvariant()}-{Guid.NewGuid():N}", role, "tests");
        var client = host.CreateClient(created.Secret);
        _clients.Add(client);
        return client;
    }

    /// <summary>Ended runs of an agent key of this test's own (runs need no agent row), so other tests' runs never mix in.</summary>
    private async Task<string> SeedFailingAgentAsync()
    {
        var agentKey = $"alerts-api-{Guid.NewGuid():N}"[..30];
        await AlertRuns.SeedAsync(host.Services, agentKey, succeeded: 5, failed: 5);
        return agentKey;
    }

    private static object ErrorRule(string name, double? threshold = 20, string[]? channels = null) => new
    {
        name,
        kind = "ErrorRate",
        parameters = new { thresholdPercent = threshold, windowMinutes = 60 },
        channels = channels ?? [],
    };

    [Fact]
    public void Host_RegistersTheEvaluationJob_EveryMinute()
    {
        using var connection = host.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();

        var job = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == AlertEvaluationJob.RecurringId);

        Assert.Equal(("alerts-evaluate", "* * * * *", null), (job.Id, job.Cron, job.Error));
    }

    [Fact]
    public async Task Rules_CreateReadUpdateDelete_AsOwner_WithFieldErrorsAsProblemJson()
    {
        var owner = await ClientAsync(Roles.Owner);
        var name = $"API rule {Guid.NewGuid():N}";

        using var created = await owner.PostAsJsonAsync("/api/v1/alert-rules", ErrorRule(name));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = rule.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/alert-rules/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(("ErrorRate", 20.0, 10), (rule.GetProperty("kind").GetString(), rule.GetProperty("parameters").GetProperty("thresholdPercent").GetDouble(),
            rule.GetProperty("parameters").GetProperty("minRuns").GetInt32()));

        var list = await owner.GetFromJsonAsync<JsonElement>("/api/v1/alert-rules");
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);

        using var updated = await owner.PutAsJsonAsync($"/api/v1/alert-rules/{id}", ErrorRule(name, threshold: 35));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(35, (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/alert-rules/{id}")).GetProperty("parameters").GetProperty("thresholdPercent").GetDouble());

        using var bad = await owner.PostAsJsonAsync("/api/v1/alert-rules", ErrorRule(name, threshold: null, channels: ["no-such-channel"]));
        var problem = await ProblemJson.ReadAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["alert.channels", "alert.name", "alert.thresholdPercent"], problem.ErrorFields());
        Assert.Contains("no-such-channel", problem.GetProperty("errors").GetProperty("alert.channels")[0].GetString(), StringComparison.Ordinal);

        using var unknownKind = await owner.PostAsJsonAsync("/api/v1/alert-rules", new { name = "x", kind = "Vibes" });
        Assert.Equal(["alert.kind"], (await ProblemJson.ReadAsync(unknownKind, HttpStatusCode.BadRequest)).ErrorFields());

        using var deleted = await owner.DeleteAsync($"/api/v1/alert-rules/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await owner.GetAsync($"/api/v1/alert-rules/{id}");
        await ProblemJson.ReadAsync(gone, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Roles_ManagerReadsButDoesNotEditRules_ReviewerGets403()
    {
        var manager = await ClientAsync(Roles.Manager);
        var reviewer = await ClientAsync(Roles.Reviewer);

        using (var read = await manager.GetAsync("/api/v1/alerts"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var rules = await manager.GetAsync("/api/v1/alert-rules"))
        {
            Assert.Equal(HttpStatusCode.OK, rules.StatusCode);
        }

        using (var edit = await manager.PostAsJsonAsync("/api/v1/alert-rules", ErrorRule($"Manager rule {Guid.NewGuid():N}")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        }

        foreach (var (method, url) in new[] { ("GET", "/api/v1/alerts"), ("GET", "/api/v1/alert-rules"), ("POST", "/api/v1/alerts/1/acknowledge"), ("POST", "/api/v1/alert-rules") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? JsonContent.Create(ErrorRule("Reviewer rule")) : null };
            using var response = await reviewer.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url} answered {(int)response.StatusCode} to a Reviewer");
        }
    }

    [Fact]
    public async Task Alerts_ListByStatusAndAgent_Acknowledge_Then409OnceResolved()
    {
        var manager = await ClientAsync(Roles.Manager);
        var agentKey = await SeedFailingAgentAsync();
        var rules = host.Services.GetRequiredService<AlertRuleCatalog>();
        var rule = (await rules.CreateAsync(new AlertRuleEdit
        {
            Name = $"API errors {Guid.NewGuid():N}", Kind = AlertKind.ErrorRate, Parameters = new() { ThresholdPercent = 20, WindowMinutes = 60 },
        }, "tests")).Rule!;
        var evaluator = host.Services.GetRequiredService<AlertEvaluator>();
        await evaluator.EvaluateAsync();

        var firing = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?status=firing&agent={agentKey}");
        // The default error-rate rule sees this agent too; this test follows its own rule's alert.
        JsonElement[] Mine(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("ruleId").GetGuid() == rule.Id)];
        var alert = Assert.Single(Mine(firing));
        var id = alert.GetProperty("id").GetInt64();
        Assert.Equal(("Firing", 50.0, $"agent:{agentKey}", rule.Name), (alert.GetProperty("status").GetString(), alert.GetProperty("value").GetDouble(),
            alert.GetProperty("subject").GetString(), alert.GetProperty("rule").GetString()));
        Assert.Empty(Mine(await manager.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?status=resolved&agent={agentKey}")));

        using (var ack = await manager.PostAsync($"/api/v1/alerts/{id}/acknowledge", null))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            var body = await ack.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("api-key:alerts-manager-", body.GetProperty("acknowledgedBy").GetString(), StringComparison.Ordinal);
        }

        await rules.DeleteAsync(rule.Id, "tests");
        await evaluator.EvaluateAsync();

        var resolved = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?status=resolved&agent={agentKey}");
        Assert.Equal(id, Assert.Single(Mine(resolved)).GetProperty("id").GetInt64());
        Assert.Single(Mine(await manager.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?status=all&agent={agentKey}")));
        using (var late = await manager.PostAsync($"/api/v1/alerts/{id}/acknowledge", null))
        {
            await ProblemJson.ReadAsync(late, HttpStatusCode.Conflict);
        }

        using (var missing = await manager.PostAsync("/api/v1/alerts/999999999/acknowledge", null))
        {
            await ProblemJson.ReadAsync(missing, HttpStatusCode.NotFound);
        }

        using var badStatus = await manager.GetAsync("/api/v1/alerts?status=burning");
        Assert.Contains("firing, resolved or all", (await ProblemJson.ReadAsync(badStatus, HttpStatusCode.BadRequest)).Detail(), StringComparison.Ordinal);
        using var badCursor = await manager.GetAsync("/api/v1/alerts?cursor=abc");
        await ProblemJson.ReadAsync(badCursor, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Alerts_ArePagedNewestFirst_WithACursor()
    {
        var manager = await ClientAsync(Roles.Manager);
        var agentKey = await SeedFailingAgentAsync();
        await host.Services.GetRequiredService<AlertRuleCatalog>().CreateAsync(new AlertRuleEdit
        {
            Name = $"API paging {Guid.NewGuid():N}", Kind = AlertKind.ErrorRate, AgentKey = null, Parameters = new() { ThresholdPercent = 10, WindowMinutes = 60 },
        }, "tests");
        await host.Services.GetRequiredService<AlertEvaluator>().EvaluateAsync();
        var all = new List<long>();
        string? cursor = null;
        do
        {
            var page = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?status=all&agent={agentKey}&limit=1{(cursor is null ? "" : $"&cursor={cursor}")}");
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // This agent's alerts: the default error-rate rule's and this test's rule's, one page each.
        Assert.True(all.Count >= 2, $"Expected at least two alerts, got {all.Count}");
        Assert.Equal(all.OrderDescending(), all);
        Assert.Equal(all.Distinct().Count(), all.Count);
    }
}
