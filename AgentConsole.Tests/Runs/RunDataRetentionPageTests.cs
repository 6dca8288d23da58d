using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Runs;

/// <summary>A run whose raw data retention deleted says so in the API and on its page, and cannot be re-run.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class RunDataRetentionPageTests(ConsoleHostFixture host) : IDisposable
{
    private readonly HttpClient _api = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task PurgedRun_ShowsRawDataPurged_InTheApiAndOnItsPage_AndRefusesARerun()
    {
        // An ended run as retention leaves it (the job itself is tested with a fake clock in RunDataRetentionTests).
        var now = DateTimeOffset.UtcNow;
        var run = Run.Create(DemoWorkspace.LeadRouterKey, "Inbound lead router", "{}", "system", now.AddDays(-100));
        run.Start("offline", "offline", now.AddDays(-100));
        run.Succeed("Enrolled <EMAIL_1>.", now.AddDays(-100));
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync())
        {
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.RawDataPurgedAt, now));
        }

        var detail = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{run.Id}");
        Assert.Equal(now.ToUnixTimeMilliseconds(), detail.GetProperty("rawDataPurgedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var list = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/runs?agent={DemoWorkspace.LeadRouterKey}&limit=200");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == run.Id && r.GetProperty("rawDataPurgedAt").ValueKind == JsonValueKind.String);

        using var rerun = await _api.PostAsync($"/api/v1/runs/{run.Id}/rerun", null);
        Assert.Equal(HttpStatusCode.Conflict, rerun.StatusCode);
        Assert.Contains("retention", await rerun.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var session = await CookieSession.SignInAsync(host, Roles.Manager);
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync($"/runs/{run.Id}"));
        Assert.Contains("data-testid=\"run-raw-data-purged\"", page, StringComparison.Ordinal);
        Assert.Contains("Raw data purged on", page, StringComparison.Ordinal);
    }
}
