using AgentConsole.Components.Pages.Sandbox;
using AgentConsole.Engine.Tools.Http;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Sandbox;

/// <summary>The sandbox HTTP log page over a real engine host's database.</summary>
public sealed class HttpLogPageTests(EmptyWorkspaceFixture workspace)
    : MudTestContext(services =>
    {
        workspace.Register(services);
        services.AddSingleton(workspace.Host.Services.GetRequiredService<HttpSandboxLog>());
    }), IClassFixture<EmptyWorkspaceFixture>
{
    [Fact]
    public async Task HttpLog_SaysSoWhenEmpty_ThenListsARecordedRequestWithoutItsSecret()
    {
        var empty = Render<HttpLogPage>();
        empty.WaitForAssertion(() => Assert.Contains("No sandbox requests yet", empty.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));

        var runId = Guid.NewGuid();
        await workspace.Host.Services.GetRequiredService<HttpSandboxLog>().RecordAsync(new HttpSandboxRequest
        {
            RunId = runId,
            CallId = "call_1",
            IdempotencyKey = Engine.Tools.ToolCall.Derive(runId, "call_1"),
            AgentKey = "lead-router",
            ConnectionKey = "http",
            Method = "POST",
            Url = "https://api.example.com/v1/orders",
            HeadersJson = """{"Authorization":"(secret 'apiToken')"}""",
            BodyJson = """{"sku":"SOF-100"}""",
            CreatedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        var page = Render<HttpLogPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=http-log-row]")));
        Assert.Equal("POST", page.Find("[data-testid=http-log-row]").GetAttribute("data-method"));
        Assert.Equal("https://api.example.com/v1/orders", page.Find("[data-testid=http-log-url]").TextContent);
        Assert.Contains("\"sku\": \"SOF-100\"", page.Find("[data-testid=http-log-detail]").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 requests recorded", page.Find("[data-testid=http-log-count]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=empty-state]"));
    }
}
