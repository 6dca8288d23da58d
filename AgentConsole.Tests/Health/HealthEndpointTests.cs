using System.Net;
using System.Text.Json;
using AgentConsole.Tests.Hosting;

namespace AgentConsole.Tests.Health;

[Collection(ConsoleHostGroup.Name)]
public sealed class HealthEndpointTests(ConsoleHostFixture host)
{
    [Fact]
    public async Task Healthz_ReportsDatabaseAndHangfire_WithoutSigningIn()
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("hangfire").GetProperty("status").GetString());
        Assert.True(checks.GetProperty("hangfire").GetProperty("data").GetProperty("servers").GetInt32() >= 1);
        // Refused (quarantined) audit outbox rows are counted here; none on an untampered install.
        Assert.Equal("Healthy", checks.GetProperty("audit").GetProperty("status").GetString());
        Assert.Equal(0, checks.GetProperty("audit").GetProperty("data").GetProperty("quarantined").GetInt32());
    }
}
