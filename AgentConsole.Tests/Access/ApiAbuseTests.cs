using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentConsole.Access;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Access;

/// <summary>
/// Abuse limits on the REST API: guessed API keys per address, runs per caller and per agent, audit verification.
/// The test host's limits are small (RunsPerCaller 30, RunsPerAgent 20, 30 bad keys, 10 verifications); each test uses
/// keys, agents and addresses of its own so the rest of the suite never meets them.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class ApiAbuseTests(ConsoleHostFixture host)
{
    private ApiKeyService Keys => host.Services.GetRequiredService<ApiKeyService>();

    [Fact]
    public async Task ApiCall_Answers429WithRetryAfter_AfterTooManyUnknownKeysFromOneAddress()
    {
        var address = CookieSession.UniqueClientAddress();
        var limit = host.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.ApiKeyFailuresPerIp.PermitLimit;
        for (var attempt = 0; attempt < limit; attempt++)
        {
            using var guess = Client($"ac_guess_{attempt}_{Guid.NewGuid():N}", address);
            using var response = await guess.GetAsync("/api/v1/agents");
            await ProblemJson.ReadAsync(response, HttpStatusCode.Unauthorized);
        }

        using var valid = Client(ConsoleHostFixture.AdminApiKey, address);
        using var refused = await valid.GetAsync("/api/v1/agents");
        using var elsewhere = Client(ConsoleHostFixture.AdminApiKey, CookieSession.UniqueClientAddress());
        using var allowed = await elsewhere.GetAsync("/api/v1/agents");

        // Once refused, the address cannot even use a good key for a while: nothing is checked, so nothing is learned.
        var problem = await ProblemJson.ReadAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("API key", problem.Detail(), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 429 says when to try again.");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task StartRun_Answers429_WhenOneCallerStartsTooManyRuns()
    {
        var key = await Keys.CreateAsync($"runs-caller-{Guid.NewGuid():N}", Roles.Owner, "tests");
        using var client = host.CreateClient(key.Secret);
        var accepted = 0;
        HttpResponseMessage? refused = null;

        // Each request names a different (unknown) agent, so only the caller's budget can run out. It holds 30 at once
        // and refills 5 a second: 100 quick requests cannot all fit.
        for (var attempt = 0; attempt < 100 && refused is null; attempt++)
        {
            var response = await client.PostAsJsonAsync($"/api/v1/agents/no-such-agent-{Guid.NewGuid():N}/runs", new JsonObject { ["input"] = new JsonObject() });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
                continue;
            }

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            accepted++;
            response.Dispose();
        }

        Assert.NotNull(refused);
        using (refused)
        {
            await ProblemJson.ReadAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A 429 says when to try again.");
        }

        Assert.True(accepted >= 30, $"The burst of 30 should pass before the limit; {accepted} did.");
        using var otherCaller = host.CreateClient(ConsoleHostFixture.AdminApiKey);
        using var stillServed = await otherCaller.PostAsJsonAsync($"/api/v1/agents/no-such-agent-{Guid.NewGuid():N}/runs", new JsonObject { ["input"] = new JsonObject() });
        Assert.Equal(HttpStatusCode.NotFound, stillServed.StatusCode);
    }

    [Fact]
    public async Task StartRun_Answers429_WhenOneAgentIsStartedTooOften_ByDifferentCallers()
    {
        // An agent of its own that does not exist: the limit applies before the lookup, and no run is created.
        var agent = $"flooded-{Guid.NewGuid():N}";
        var first = await Keys.CreateAsync($"runs-agent-a-{Guid.NewGuid():N}", Roles.Owner, "tests");
        var second = await Keys.CreateAsync($"runs-agent-b-{Guid.NewGuid():N}", Roles.Owner, "tests");
        using var a = host.CreateClient(first.Secret);
        using var b = host.CreateClient(second.Secret);
        for (var attempt = 0; attempt < 15; attempt++)
        {
            using var response = await a.PostAsJsonAsync($"/api/v1/agents/{agent}/runs", new JsonObject { ["input"] = new JsonObject() });
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // The agent holds 20 at once; the second caller, with 30 of its own, meets the agent's limit well before its own.
        HttpStatusCode? last = null;
        var sent = 0;
        while (sent < 29 && last != HttpStatusCode.TooManyRequests)
        {
            using var response = await b.PostAsJsonAsync($"/api/v1/agents/{agent}/runs", new JsonObject { ["input"] = new JsonObject() });
            last = response.StatusCode;
            sent++;
            if (last == HttpStatusCode.TooManyRequests)
            {
                var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.TooManyRequests);
                Assert.Contains(agent, problem.Detail(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
    }

    [Fact]
    public void RunLimits_AdmitTheThroughputGoal_WithTheDefaults()
    {
        // The performance goal is 250 runs/s sustained from one key to one agent; the defaults must sit well above it.
        using var throttle = new RequestThrottle(Options.Create(new RateLimitOptions()));
        var defaults = new RateLimitOptions();

        var admitted = Enumerable.Range(0, 1000).Count(_ => throttle.AcquireRun("api-key:bench", DemoWorkspace.LeadRouterKey).Allowed);

        Assert.Equal(1000, admitted);
        Assert.True(defaults.RunsPerCaller.PerSecond >= 4 * 250 && defaults.RunsPerAgent.PerSecond >= 4 * 250);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::2", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7", true)]
    [InlineData("198.51.100.7", "198.51.100.8", false)]
    public void IpPartition_GroupsAnIpv6Slash64_AndKeepsIpv4AddressesApart(string first, string second, bool same)
    {
        var a = RequestThrottle.IpKey(System.Net.IPAddress.Parse(first));
        var b = RequestThrottle.IpKey(System.Net.IPAddress.Parse(second));

        Assert.Equal(same, a == b);
    }

    [Fact]
    public async Task VerifyAudit_IsAPostForAdminsOnly_AndIsThrottled()
    {
        var admin = await Keys.CreateAsync($"verify-admin-{Guid.NewGuid():N}", Roles.Admin, "tests");
        var owner = await Keys.CreateAsync($"verify-owner-{Guid.NewGuid():N}", Roles.Owner, "tests");
        using var adminClient = host.CreateClient(admin.Secret);
        using var ownerClient = host.CreateClient(owner.Secret);

        using var get = await adminClient.GetAsync("/api/v1/audit/verify");
        using var byOwner = await ownerClient.PostAsync("/api/v1/audit/verify", null);
        var limit = host.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.AuditVerificationsPerCaller.PermitLimit;
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt <= limit; attempt++)
        {
            using var response = await adminClient.PostAsync("/api/v1/audit/verify", null);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await ProblemJson.ReadAsync(response, HttpStatusCode.TooManyRequests);
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.True(get.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"GET verify answered {(int)get.StatusCode}.");
        await ProblemJson.ReadAsync(byOwner, HttpStatusCode.Forbidden);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, limit), HttpStatusCode.TooManyRequests], statuses);
    }

    private HttpClient Client(string apiKey, string forwardedFor)
    {
        var client = host.CreateClient(apiKey);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }
}
