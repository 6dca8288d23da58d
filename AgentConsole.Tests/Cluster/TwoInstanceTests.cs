using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Persistence;
using AgentConsole.Tests.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AgentConsole.Tests.Cluster;

/// <summary>
/// Two engine instances, each with its own Hangfire server, on ONE real PostgreSQL database: the scale-out the README
/// describes, in one test process (whatever provider the rest of the suite runs on). Each instance is a full host as
/// the app wires it; they share nothing but the database.
/// </summary>
public sealed class TwoInstanceTests : IAsyncLifetime
{
    private const int Runs = 1_000;
    private const string Actor = "tests@agentconsole.local";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(6);
    private string _connection = "";
    private RunHost _a = null!;
    private RunHost _b = null!;

    public async Task InitializeAsync()
    {
        _connection = await SharedPostgres.NewDatabaseAsync("cluster");
        // Both at once on an empty database: one migrates and seeds under the start-up lock, the other finds it done.
        var a = StartInstanceAsync("instance-a");
        var b = StartInstanceAsync("instance-b");
        (_a, _b) = (await a, await b);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task TwoInstances_ShareOneQueue_ExecuteEveryRunOnce_AndAgreeOnEverything()
    {
        // Seeded once: the first Admin and each demo user exist once, the demo agent once.
        Assert.Equal(DemoWorkspace.Users.Count + 1, await _a.QueryAsync(db => db.Users.CountAsync()));
        Assert.Equal(1, await _a.QueryAsync(db => db.Agents.CountAsync(a => a.Key == DemoWorkspace.LeadRouterKey)));
        var recoveryJobsBefore = await RecoveryJobsAsync();
        var clock = Stopwatch.StartNew();

        // 1,000 runs, started half on each instance by 8 concurrent clients, as a load balancer would spread them.
        var started = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Runs; i = Interlocked.Increment(ref next))
            {
                var host = i % 2 == 0 ? _a : _b;
                var result = await host.Runs.StartAsync(DemoWorkspace.LeadRouterKey, Lead(i), Actor);
                started.Add(result.RunId ?? throw new InvalidOperationException($"{result.Outcome}: {result.Message}"));
            }
        })));
        var ids = started.ToHashSet();
        await WaitUntilAsync(async () => await CountAsync(r => ids.Contains(r.Id) && r.Status != RunStatus.Queued && r.Status != RunStatus.Running) == Runs,
            "all 1,000 runs settled");

        var runs = await _a.QueryAsync(db => db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Status, r.Executions }).ToListAsync());
        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(runs, r => Assert.Equal(1, r.Executions));

        // Both instances' workers took runs from the one queue.
        var servers = ProcessingServers();
        Assert.True(servers.Count >= 2, $"Runs were processed by {servers.Count} Hangfire server(s): {string.Join(", ", servers)}");

        // An escalation raised by a run started on A is resolved on B; the run resumes (on whichever instance) and ends.
        var escalated = await _a.StartRunAsync(DemoWorkspace.LeadRouterKey, DemoWorkspace.SampleLeads[0].ToJsonString());
        var escalation = await WaitForAsync(async () => await _b.QueryAsync(db => db.Escalations.AsNoTracking()
            .FirstOrDefaultAsync(e => e.RunId == escalated && e.Status == EscalationStatus.Open)), "the escalation raised");
        var resolved = await _b.Escalations.ResolveAsync(escalation.Id,
            new EscalationDecision(EscalationAction.Approve, "Start them mid-market", Value: "Mid-market sequence"),
            new EscalationReviewer("reviewer@agentconsole.local", [Roles.Reviewer], "reviewer@agentconsole.local"));
        Assert.Equal(RunCommandOutcome.Done, resolved.Outcome);
        // Resumed: it ends, or stops again at a later step (the demo asks before e-mailing some accounts), never at the
        // same escalation.
        await WaitUntilAsync(async () => await CountAsync(r => r.Id == escalated && r.Status == RunStatus.Succeeded) == 1
                || await _a.QueryAsync(db => db.Escalations.AnyAsync(e => e.RunId == escalated && e.Status == EscalationStatus.Open && e.Id != escalation.Id)),
            "the escalated run resumed after B's decision");
        var resumed = await _a.QueryAsync(db => db.Runs.AsNoTracking().SingleAsync(r => r.Id == escalated));
        Assert.True(resumed.Executions >= 2, $"The run executed {resumed.Executions} time(s) after the decision on the other instance");
        Assert.Equal(EscalationStatus.Approved, (await _a.QueryAsync(db => db.Escalations.AsNoTracking().SingleAsync(e => e.Id == escalation.Id))).Status);

        // A live update published on A reaches B's subscribers (LISTEN/NOTIFY), and a cancel requested on A reaches a run
        // executing on B.
        var seen = new TaskCompletionSource<RunUpdated>(TaskCreationOptions.RunContinuationsAsynchronously);
        var marker = Guid.NewGuid();
        void OnUpdated(RunUpdated update)
        {
            if (update.RunId == marker)
            {
                seen.TrySetResult(update);
            }
        }

        _b.Services.GetRequiredService<RunNotifications>().Updated += OnUpdated;
        try
        {
            _a.Services.GetRequiredService<RunNotifications>().Publish(new RunUpdated(marker, DemoWorkspace.LeadRouterKey, RunStatus.Succeeded));
            Assert.Equal(RunStatus.Succeeded, (await seen.Task.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        }
        finally
        {
            _b.Services.GetRequiredService<RunNotifications>().Updated -= OnUpdated;
        }

        var executingOnB = Guid.NewGuid();
        using (var registration = _b.Services.GetRequiredService<RunCancellations>().Register(executingOnB))
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var callback = registration.Token.Register(() => cancelled.TrySetResult());
            Assert.False(_a.Services.GetRequiredService<RunCancellations>().Cancel(executingOnB), "A does not execute that run itself");
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // Both sealers ran against one chain: nothing is left in the outbox, nothing was sealed twice, and the chain
        // verifies from either instance.
        await WaitUntilAsync(async () => await _a.QueryAsync(db => db.AuditOutbox.AnyAsync()) is false, "the outbox sealed");
        var fromA = await _a.Services.GetRequiredService<AuditChain>().VerifyAsync();
        var fromB = await _b.Services.GetRequiredService<AuditChain>().VerifyAsync();
        Assert.True(fromA.Ok, fromA.Reason);
        Assert.True(fromB.Ok, fromB.Reason);
        var started1000 = await _a.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Action == "run.queued"));
        Assert.True(started1000 >= Runs + 1, $"{started1000} run.queued events for {Runs + 1} runs started");
        var succeededEvents = await _a.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "run.succeeded" && e.RunId != null)
            .GroupBy(e => e.RunId).Where(g => g.Count() > 1).CountAsync());
        Assert.Equal(0, succeededEvents);

        // Both instances fold rollups; each ended run is counted once.
        await WaitUntilAsync(async () => await _a.QueryAsync(db => db.RunRollupDeltas.AnyAsync()) is false, "the rollup deltas folded");
        var (rolledUp, succeededRuns) = await _a.QueryAsync(async db => (
            await db.RunRollups.Where(r => r.AgentKey == DemoWorkspace.LeadRouterKey).SumAsync(r => r.Succeeded),
            await db.Runs.CountAsync(r => r.AgentKey == DemoWorkspace.LeadRouterKey && r.Status == RunStatus.Succeeded && r.Kind == RunKind.Production)));
        Assert.Equal(succeededRuns, rolledUp);

        // The minutely recovery poller is a recurring job of the shared storage: once per minute cluster-wide, not once
        // per instance. Wait for at least one minute boundary so it has had to fire.
        await WaitUntilAsync(async () => await RecoveryJobsAsync() > recoveryJobsBefore, "the recurring recovery job fired");
        var minutes = (int)Math.Ceiling(clock.Elapsed.TotalMinutes);
        var fired = await RecoveryJobsAsync() - recoveryJobsBefore;
        Assert.InRange(fired, 1, minutes + 1);
    }

    private async Task<RunHost> StartInstanceAsync(string name) =>
        await RunHost.StartAsync(RunHost.NewFolder(), null,
            ("AgentConsole:Database:Provider", "Postgres"),
            ("ConnectionStrings:AgentConsole", _connection),
            ("ConnectionStrings:Hangfire", _connection),
            ("AgentConsole:Audit:HmacKey", "cluster-test-audit-key-0123456789abcdefghij"),
            ("AgentConsole:Runs:InstanceName", name),
            ("AgentConsole:Jobs:RunServer", "true"),
            ("AgentConsole:Jobs:WorkerCount", "10"),
            ("AgentConsole:Jobs:EvaluationWorkerCount", "1"),
            ("AgentConsole:Jobs:QueuePollInterval", "00:00:00.200"));

    private static JsonObject Lead(int i) => new()
    {
        ["name"] = $"Dana Lee {i}",
        ["email"] = $"dana{i}@acme.example",
        ["company"] = "Acme GmbH",
        ["employees"] = 42,
        ["industry"] = "Software",
    };

    private Task<int> CountAsync(System.Linq.Expressions.Expression<Func<Run, bool>> predicate) =>
        _a.QueryAsync(db => db.Runs.AsNoTracking().CountAsync(predicate));

    /// <summary>The Hangfire servers that processed the last succeeded jobs (from each job's Processing state).</summary>
    private HashSet<string> ProcessingServers()
    {
        var monitoring = _a.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var servers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in monitoring.SucceededJobs(0, 300))
        {
            var processing = monitoring.JobDetails(job.Key)?.History.FirstOrDefault(h => h.StateName == "Processing");
            if (processing?.Data.TryGetValue("ServerId", out var server) == true)
            {
                servers.Add(server);
            }
        }

        return servers;
    }

    /// <summary>Jobs created for the recurring run-recovery poller, read from Hangfire's own tables.</summary>
    private async Task<long> RecoveryJobsAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RunRecoveryJob%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"Waited {Patience.TotalMinutes} minutes for {what}.");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> read, string what)
        where T : class
    {
        T? value = null;
        await WaitUntilAsync(async () => (value = await read()) is not null, what);
        return value!;
    }
}
