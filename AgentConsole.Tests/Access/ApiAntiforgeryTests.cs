using System.Net;
using System.Net.Http.Json;
using AgentConsole.Access;
using AgentConsole.Engine.Access;
using AgentConsole.Tests.Hosting;

namespace AgentConsole.Tests.Access;

/// <summary>
/// A cross-site page can make the browser send the session cookie, but not a custom header; so cookie-authenticated
/// POST/PUT/PATCH/DELETE under /api need the antiforgery header, and bearer API keys do not.
/// </summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class ApiAntiforgeryTests(ConsoleHostFixture host)
{
    [Fact]
    public async Task CookiePost_Returns400ProblemJson_WithoutTheAntiforgeryHeader()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Owner);
        var key = $"csrf-{Guid.NewGuid():N}"[..30];

        using var response = await session.Client.PostAsJsonAsync("/api/v1/agents", new { key, name = "Forged" });
        using var check = await session.Client.GetAsync($"/api/v1/agents/{key}");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(ApiAntiforgery.HeaderName, problem.Detail(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
    }

    [Fact]
    public async Task CookiePost_Returns400_WithATokenOfAnotherSession()
    {
        using var victim = await CookieSession.SignInAsync(host, Roles.Owner);
        using var attacker = await CookieSession.SignInAsync(host, Roles.Manager);
        var foreignToken = await attacker.AntiforgeryHeaderTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agents")
        {
            Content = JsonContent.Create(new { key = $"csrf-{Guid.NewGuid():N}"[..30], name = "Forged" }),
        };
        request.Headers.Add(ApiAntiforgery.HeaderName, foreignToken);

        using var response = await victim.Client.SendAsync(request);

        await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CookiePost_Succeeds_WithTheSessionsAntiforgeryHeader()
    {
        using var session = await CookieSession.SignInAsync(host, Roles.Owner);
        var key = $"csrf-ok-{Guid.NewGuid():N}"[..30];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agents") { Content = JsonContent.Create(new { key, name = "Legit" }) };
        request.Headers.Add(ApiAntiforgery.HeaderName, await session.AntiforgeryHeaderTokenAsync());

        using var response = await session.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task BearerPost_NeedsNoAntiforgeryHeader()
    {
        using var client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

        using var response = await client.PostAsJsonAsync("/api/v1/agents", new { key = $"bearer-{Guid.NewGuid():N}"[..30], name = "Scripted" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
