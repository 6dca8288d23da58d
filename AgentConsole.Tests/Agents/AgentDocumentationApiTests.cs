using System.Net;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;

namespace AgentConsole.Tests.Agents;

[Collection(ConsoleHostGroup.Name)]
public sealed class AgentDocumentationApiTests(ConsoleHostFixture host) : IDisposable
{
    private readonly HttpClient _client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetDocumentation_ReturnsTheAgentsMarkdown()
    {
        using var response = await _client.GetAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/documentation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Null(response.Content.Headers.ContentDisposition);
        var markdown = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("# Inbound lead router — agent documentation\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| 3 | > 500 | - | \"Human review\" | More than 500 employees |", markdown, StringComparison.Ordinal);
        Assert.Contains("`crm_find_company`", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDocumentation_AsksForAFile_WhenDownloadIsTrue()
    {
        using var response = await _client.GetAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/documentation?download=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("lead-router-documentation.md", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task GetDocumentation_Returns404ProblemJson_WhenTheAgentIsUnknown()
    {
        using var response = await _client.GetAsync("/api/v1/agents/no-such-agent/documentation");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no-such-agent", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDocumentation_IsReadableByAManager_AndNotAnonymously()
    {
        using var manager = await CookieSession.SignInAsync(host, Roles.Manager);
        using var anonymous = CookieSession.Anonymous(host);

        using var read = await manager.Client.GetAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/documentation");
        using var refused = await anonymous.Client.GetAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/documentation");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
