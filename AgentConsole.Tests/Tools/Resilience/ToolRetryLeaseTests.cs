using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Tests.Models;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>A run whose tool call waits longer than the run's lease (retries honouring Retry-After) keeps its lease and finishes.</summary>
public sealed class ToolRetryLeaseTests : IDisposable
{
    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    [Fact]
    public async Task Heartbeat_KeepsTheLease_WhileAToolCallWaitsLongerThanTheLeaseBetweenRetries_AndTheRunFinishesUnderItsFirstExecutor()
    {
        var clock = new TimerWatchingClock();
        var connector = new ScriptedConnector { Time = clock };
        var calls = 0;
        // Three 429s asking for 20 s each: 60 s of waiting within one call, twice the 30 s lease.
        connector.Script = (_, _) => Interlocked.Increment(ref calls) <= 3
            ? throw ScriptedConnector.Unavailable(retryAfter: TimeSpan.FromSeconds(20))
            : Task.FromResult<JsonNode?>(new JsonObject { ["ok"] = true });
        await using var model = await FakeModelEndpoint.StartAsync(request => request.LastMessage?.Role == "tool"
            ? FakeModelReply.Text("Recorded.")
            : FakeModelReply.ToolCall(ScriptedConnector.ToolKey, new { note = "hello" }));
        await using var host = await RunHost.StartAsync(_folders.New(), clock, services => services.AddSingleton<IConnector>(connector),
        [
            .. RunHost.Provider(model.BaseAddress),
            ("AgentConsole:Runs:LeaseDuration", "00:00:30"),
            ("AgentConsole:Tools:PerTool:scripted_call:MaxRetryAfter", "00:00:30"),
            ("AgentConsole:Tools:PerTool:scripted_call:MaxRetries", "5"),
            ("AgentConsole:Tools:PerTool:scripted_call:TotalTimeout", "00:05:00"),
        ]);
        await host.UpdateDemoAgentAsync(a =>
        {
            a.Model = "fake";
            a.Tools = [new ToolGrant { Tool = ScriptedConnector.ToolKey, Scope = ToolScope.Write }];
        });
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var executing = Task.Run(() => host.Executor.ExecuteAsync(id));
        var started = clock.GetUtcNow();
        await EventuallyAsync(() => Task.FromResult(!connector.Calls.IsEmpty), "the first attempt");
        var takeOverTried = false;
        while (connector.Calls.Count < 4)
        {
            Assert.True(clock.GetUtcNow() - started < TimeSpan.FromMinutes(5), "The call should have succeeded on its fourth attempt.");
            // One heartbeat period at a time, each renewal on record before the next: the lease never lapses in between.
            clock.Advance(TimeSpan.FromSeconds(10));
            var due = clock.GetUtcNow() + TimeSpan.FromSeconds(20);
            await EventuallyAsync(async () => connector.Calls.Count >= 4
                || await host.QueryAsync(db => db.Runs.Where(r => r.Id == id).Select(r => r.LeaseExpiresAt).SingleAsync()) >= due, "a heartbeat");
            if (!takeOverTried && clock.GetUtcNow() - started > TimeSpan.FromSeconds(40))
            {
                // Longer than the lease into the call: another executor finds the run held and leaves it alone.
                takeOverTried = true;
                await host.Executor.ExecuteAsync(id);
                Assert.Equal(1, (await host.Runs.GetAsync(id))!.Run.Executions);
            }
        }

        await executing.WaitAsync(TimeSpan.FromSeconds(30));
        var detail = (await host.Runs.GetAsync(id))!;
        Assert.True(takeOverTried);
        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(1, detail.Run.Executions);
        Assert.True(clock.GetUtcNow() - started >= TimeSpan.FromSeconds(60));
        var attempts = detail.Steps.Where(s => s.Title.StartsWith("scripted_call attempt", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Contains("retrying in 20 s", a.Title, StringComparison.Ordinal));
        Assert.Contains("after 4 attempts", Assert.Single(ToolSteps(detail)).Title, StringComparison.Ordinal);
    }
}
