using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Models;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>
/// Runs of the demo agent (model: a fake OpenAI-compatible endpoint) whose one tool writes to a <see cref="FaultyApi"/>
/// over real HTTP through the named tools HttpClient, while the API injects 500s, 429 with Retry-After, hangs past the
/// attempt timeout and 401s: every run ends retried-ok (with exactly its one effect) or escalated with what failed,
/// never silently; and a crash between the API's effect and the journal does not apply it twice.
/// </summary>
public sealed partial class FaultyApiRunTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    /// <summary>Fast real-time settings: retries are visible without slowing the suite; the breaker stays out of the way here.</summary>
    private static readonly (string, string?)[] Resilience =
    [
        ("AgentConsole:Tools:PerTool:fake_api_post:AttemptTimeout", "00:00:01"),
        ("AgentConsole:Tools:PerTool:fake_api_post:TotalTimeout", "00:00:20"),
        ("AgentConsole:Tools:PerTool:fake_api_post:MaxRetries", "2"),
        ("AgentConsole:Tools:PerTool:fake_api_post:BaseDelay", "00:00:00.050"),
        ("AgentConsole:Tools:PerTool:fake_api_post:MaxDelay", "00:00:00.200"),
        ("AgentConsole:Tools:PerTool:fake_api_post:MaxRetryAfter", "00:00:05"),
        ("AgentConsole:Tools:PerTool:fake_api_post:BreakerFailureRatio", "1"),
        ("AgentConsole:Tools:PerTool:fake_api_post:BreakerMinimumThroughput", "1000"),
    ];

    [GeneratedRegex(@"Acme (r\d+)")]
    private static partial Regex Tag();

    private static string Lead(string tag) =>
        $$"""{"name":"Dana Lee","email":"dana@acme.example","company":"Acme {{tag}}","employees":42,"industry":"Software"}""";

    /// <summary>The model posts the run's tag once, then finishes when it has the tool's result.</summary>
    private static FakeModelReply Script(FakeModelRequest request) =>
        request.LastMessage?.Role == "tool"
            ? FakeModelReply.Text("Recorded.")
            : FakeModelReply.ToolCall(FakeApiConnector.ToolKey, new { note = Tag().Match(request.Body).Groups[1].Value });

    private async Task<RunHost> StartAsync(FakeModelEndpoint model, FaultyApi api, string? folder = null)
    {
        var host = await RunHost.StartAsync(folder ?? _folders.New(), null, services => services.AddSingleton<IConnector>(new FakeApiConnector(api.BaseAddress)),
            [.. RunHost.Provider(model.BaseAddress), .. Resilience]);
        await host.UpdateDemoAgentAsync(a =>
        {
            a.Model = "fake";
            a.Tools = [new ToolGrant { Tool = FakeApiConnector.ToolKey, Scope = ToolScope.Write }];
        });
        return host;
    }

    /// <summary>Half the runs meet a fault: transient ones once (then the retry succeeds), 401 and a persistent 500 always.</summary>
    private static ApiFault Plan(string note, int attempt) => (int.Parse(note[1..], System.Globalization.CultureInfo.InvariantCulture) % 10) switch
    {
        0 => attempt == 1 ? ApiFault.ServerError : ApiFault.None,
        1 => attempt == 1 ? ApiFault.TooManyRequests : ApiFault.None,
        2 => attempt == 1 ? ApiFault.Hang : ApiFault.None,
        3 => ApiFault.Unauthorized,
        4 => ApiFault.ServerError,
        _ => ApiFault.None,
    };

    [Fact]
    public async Task Runs_EndRetriedOkWithOneEffectOrEscalatedWithAttemptsAndLastError_UnderHalfInjectedFaults()
    {
        await using var api = await FaultyApi.StartAsync(Plan);
        await using var model = await FakeModelEndpoint.StartAsync(Script);
        await using var host = await StartAsync(model, api);
        const int runs = 30;
        var ids = new Dictionary<string, Guid>();
        for (var i = 0; i < runs; i++)
        {
            ids[$"r{i}"] = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, Lead($"r{i}"));
        }

        // A few executors at once, as Hangfire's workers would.
        foreach (var batch in ids.Values.Chunk(5))
        {
            await Task.WhenAll(batch.Select(id => Task.Run(() => host.Executor.ExecuteAsync(id))));
        }

        var requests = api.Requests.ToArray();
        foreach (var (tag, id) in ids)
        {
            var detail = (await host.Runs.GetAsync(id))!;
            var timeline = Timeline(detail);
            var call = Assert.Single(ToolSteps(detail));
            var effects = api.Effects.Values.Where(e => e.RunId == id.ToString()).ToList();
            var seen = requests.Where(r => r.Note == tag).ToList();
            var attempts = detail.Steps.Where(s => s.Kind == RunStepKind.Status && s.Title.StartsWith("fake_api_post attempt", StringComparison.Ordinal)).ToList();
            Assert.False(call.InFlight, timeline);
            switch (int.Parse(tag[1..], System.Globalization.CultureInfo.InvariantCulture) % 10)
            {
                case 3:
                    // 401: escalated at once, the service asked only once, nothing applied.
                    Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, timeline);
                    var refused = Assert.Single(detail.Escalations);
                    Assert.Equal(EscalationKind.ToolFailure, refused.Kind);
                    Assert.Contains("failed on attempt 1 and retrying cannot fix it", refused.Reason, StringComparison.Ordinal);
                    Assert.Contains("401", refused.Reason, StringComparison.Ordinal);
                    Assert.Single(seen);
                    Assert.Single(attempts);
                    Assert.Empty(effects);
                    break;
                case 4:
                    // A persistent 500: three attempts (1 + 2 retries), then escalated with how often and the last error.
                    Assert.True(detail.Run.Status == RunStatus.WaitingForHuman, timeline);
                    var failed = Assert.Single(detail.Escalations);
                    Assert.Equal(EscalationKind.ToolFailure, failed.Kind);
                    Assert.Contains("fake_api_post failed 3 times in a row; last error: The fake API answered 500", failed.Reason, StringComparison.Ordinal);
                    Assert.Equal(3, seen.Count);
                    Assert.Equal(3, attempts.Count);
                    Assert.Empty(effects);
                    break;
                default:
                    // Retried-ok or never failed: succeeded with exactly its one effect, the one the journal holds.
                    Assert.True(detail.Run.Status == RunStatus.Succeeded, timeline);
                    Assert.False(call.IsError, timeline);
                    var effect = Assert.Single(effects);
                    Assert.Equal(effect.EffectId, JsonNode.Parse(call.JournalJson!)!["effectId"]!.GetValue<string>());
                    Assert.Single(seen.Select(s => s.Key).Distinct());
                    Assert.Equal(seen.Count - 1, attempts.Count);
                    break;
            }

            switch (int.Parse(tag[1..], System.Globalization.CultureInfo.InvariantCulture) % 10)
            {
                case 1:
                    // Retry-After: 1 was honoured: the wait reported for the attempt is the header's.
                    Assert.Equal(1000, JsonNode.Parse(Assert.Single(attempts).DetailJson!)!["retryInMs"]!.GetValue<long>());
                    Assert.Contains("retrying in 1 s", attempts[0].Title, StringComparison.Ordinal);
                    break;
                case 2:
                    // The first attempt applied the effect but its answer never came: the retry carried the same key and got it back.
                    Assert.Equal(2, seen.Count);
                    Assert.Contains("did not answer within 1 s", attempts[0].Title, StringComparison.Ordinal);
                    break;
            }
        }

        // At least 30 % of the runs met a fault, and every failed attempt is in the audit log as well as on the timeline.
        Assert.True(ids.Keys.Count(t => Plan(t, 1) != ApiFault.None) * 10 >= runs * 3);
        var auditedAttempts = await host.QueryAsync(async db =>
            await db.AuditOutbox.CountAsync(e => e.Action == "tool.attempt.failed") + await db.AuditEvents.CountAsync(e => e.Action == "tool.attempt.failed"));
        Assert.Equal(requests.Count(r => r.Fault != ApiFault.None), auditedAttempts);
    }

    [Fact]
    public async Task ToolCallCutOffBetweenTheApisEffectAndItsJournalEntry_IsResentUnderTheSameKey_AndTakesEffectOnce()
    {
        var folder = _folders.New();
        await using var api = await FaultyApi.StartAsync((_, _) => ApiFault.None);
        await using var model = await FakeModelEndpoint.StartAsync(Script);
        await using var host = await StartAsync(model, api, folder);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, Lead("r7"));
        // Armed from inside the API's handler, right after it applied the effect: the executor's journal entry for the
        // call is refused (the process "dies" between the effect and its record), so the execution stops there.
        await host.QueryAsync(db => db.Database.ExecuteSqlRawAsync("""CREATE TABLE "RefuseToolResults" ("Refuse" INTEGER);"""));
        await RefusedWrites.CreateAsync(host, "RefuseToolResult", """BEFORE UPDATE OF "InFlight" """, "RunSteps",
            """OLD."InFlight" = TRUE AND NEW."InFlight" = FALSE AND EXISTS (SELECT 1 FROM "RefuseToolResults")""");
        var armed = 0;
        api.AfterEffect = _ =>
        {
            if (Interlocked.Exchange(ref armed, 1) == 0)
            {
                RefusedWrites.Execute(folder, """INSERT INTO "RefuseToolResults" VALUES (1)""");
            }
        };

        await host.Executor.ExecuteAsync(id);

        var cut = (await host.Runs.GetAsync(id))!;
        Assert.True(Assert.Single(ToolSteps(cut)).InFlight, Timeline(cut));
        Assert.Single(api.Effects);

        // The process is back: the database accepts writes again and the dead executor's lease has lapsed.
        await host.QueryAsync(db => db.Database.ExecuteSqlRawAsync("""DELETE FROM "RefuseToolResults" """));
        await host.QueryAsync(db => db.Runs.Where(r => r.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1))));
        var resumed = await host.ExecuteAsync(id);

        Assert.True(resumed.Run.Status == RunStatus.Succeeded, Timeline(resumed));
        var requests = api.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Single(requests.Select(r => r.Key).Distinct());
        var effect = Assert.Single(api.Effects.Values);
        var call = Assert.Single(ToolSteps(resumed));
        Assert.Equal((false, false), (call.InFlight, call.IsError));
        Assert.Equal(effect.EffectId, JsonNode.Parse(call.JournalJson!)!["effectId"]!.GetValue<string>());
        Assert.Contains(resumed.Steps, s => s.Title.Contains("sent again under the same idempotency key", StringComparison.Ordinal));
    }
}
