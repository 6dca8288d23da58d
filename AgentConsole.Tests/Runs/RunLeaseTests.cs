using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Models;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static AgentConsole.Tests.Runs.FakeProviderRuns;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// One run, one executor at a time, provably: two executors race on a run after its lease lapsed (the first one froze
/// mid-call: a long GC pause, a suspended VM), the lease is renewed while a call is in flight, recovery enqueues a run
/// once, and the leases of a live instance are never taken. Executors are driven directly over real SQLite files, with
/// a fake clock and a model endpoint that holds chosen requests until the test releases them.
/// </summary>
public sealed class RunLeaseTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly RunFolders _folders = new();

    public void Dispose() => _folders.Dispose();

    private static FakeModelReply Crm() => FakeModelReply.ToolCall("crm_find_company", new { company = "Acme GmbH" });

    private static FakeModelReply Enroll() => FakeModelReply.ToolCall("crm_update_lead", new { email = "<EMAIL_1>", route = "Mid-market sequence" });

    private static FakeModelReply Notify() => FakeModelReply.ToolCall("crm_set_lead_status", new { email = "<EMAIL_1>", status = "Routed", reason = "New mid-market lead from Acme GmbH." });

    // A write to a system without idempotency keys (a legacy API): whether a call left in flight took effect cannot be
    // known, so it must never be sent again.
    private static FakeModelReply Unkeyed() => FakeModelReply.ToolCall(UnkeyedConnector.Tool, new { note = "Acme GmbH" });

    private static Task<RunHost> StartWithUnkeyedToolAsync(FakeModelEndpoint endpoint, string folder, FakeTimeProvider time) =>
        StartHostAsync(endpoint, folder, time,
            agent: a => a.Tools = [.. a.Tools, new Engine.Tools.ToolGrant { Tool = UnkeyedConnector.Tool, Scope = Engine.Tools.ToolScope.Write }],
            services: s => s.AddSingleton<Engine.Tools.IConnector, UnkeyedConnector>());

    private static FakeModelReply Done() => FakeModelReply.Text("Enrolled the lead and told Sales EMEA.");

    /// <summary>Holds the request (on the endpoint's thread) until the test releases it.</summary>
    private static FakeModelReply After(ManualResetEventSlim release, FakeModelReply reply)
    {
        release.Wait(Patience);
        return reply;
    }

    [Fact]
    public async Task ExecutorThatLostItsLease_StopsBeforeItsToolCallAndWritesNothing_WhileTheNewOwnerPerformsEachToolOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var releaseFirst = new ManualResetEventSlim();
        using var releaseSecond = new ManualResetEventSlim();
        await using var endpoint = await FakeModelEndpoint.StartAsync(request => request.CallNumber switch
        {
            1 => After(releaseFirst, Crm()),
            2 => Crm(),
            3 => After(releaseSecond, Enroll()),
            4 => Notify(),
            _ => Done(),
        });
        await using var host = await StartHostAsync(endpoint, _folders.New(), time);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var first = Task.Run(() => host.Executor.ExecuteAsync(id));
        await EventuallyAsync(() => Task.FromResult(endpoint.CallCount == 1), "the first executor's model call");
        await LapseLeaseAsync(host, id, time);
        var second = Task.Run(() => host.Executor.ExecuteAsync(id));
        await EventuallyAsync(() => Task.FromResult(endpoint.CallCount == 3), "the second executor's crm_find_company and next model call");
        var before = await SnapshotAsync(host, id);

        // The first executor's model call returns a tool call: it must neither perform it nor write anything.
        releaseFirst.Set();
        await first.WaitAsync(Patience);
        var after = await SnapshotAsync(host, id);

        Assert.Equal(before, after);
        Assert.Equal(3, endpoint.CallCount);

        releaseSecond.Set();
        await second.WaitAsync(Patience);
        var detail = (await host.Runs.GetAsync(id))!;
        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(["crm_find_company", "crm_update_lead", "crm_set_lead_status"], ToolSteps(detail).Select(t => t.ToolName));
        Assert.All(ToolSteps(detail), t => Assert.False(t.InFlight));
        Assert.Equal(3, detail.Run.ToolCalls);
        Assert.Equal(2, detail.Run.Executions);
        Assert.Equal(5, endpoint.CallCount);
    }

    [Fact]
    public async Task ToolCallInFlight_IsNotPerformedAgainByTheExecutorThatTakesOver_AndTheStalledExecutorRecordsNothingAfterIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var endpoint = await FakeModelEndpoint.StartAsync(Unkeyed(), Enroll(), Notify(), Done());
        await using var host = await StartWithUnkeyedToolAsync(endpoint, _folders.New(), time);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        using var release = new ManualResetEventSlim();
        var onRecord = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = 0;
        void HoldOnceTheCallIsOnRecord(RunUpdated update)
        {
            if (update.RunId != id || Volatile.Read(ref held) == 1)
            {
                return;
            }

            var inFlight = host.QueryAsync(db => db.RunSteps.AnyAsync(s => s.RunId == id && s.InFlight)).GetAwaiter().GetResult();
            if (inFlight && Interlocked.Exchange(ref held, 1) == 0)
            {
                // The executor's thread, between putting the unkeyed write on record and performing it: the call is in flight.
                onRecord.SetResult();
                release.Wait(Patience);
            }
        }

        var notifications = host.Services.GetRequiredService<RunNotifications>();
        notifications.Updated += HoldOnceTheCallIsOnRecord;
        var first = Task.Run(() => host.Executor.ExecuteAsync(id));
        await onRecord.Task.WaitAsync(Patience);
        await LapseLeaseAsync(host, id, time);

        var taken = await host.ExecuteAsync(id);

        Assert.True(taken.Run.Status == RunStatus.WaitingForHuman, Timeline(taken));
        var call = Assert.Single(ToolSteps(taken));
        Assert.Equal((UnkeyedConnector.Tool, false, true), (call.ToolName, call.InFlight, call.IsError));
        Assert.Contains("outcome unknown", call.Title, StringComparison.Ordinal);
        Assert.Equal(EscalationKind.Interrupted, Assert.Single(taken.Escalations).Kind);
        Assert.Equal(1, endpoint.CallCount);
        var before = await SnapshotAsync(host, id);

        release.Set();
        await first.WaitAsync(Patience);
        notifications.Updated -= HoldOnceTheCallIsOnRecord;

        Assert.Equal(before, await SnapshotAsync(host, id));

        // A reviewer checked the CRM and lets the run carry on: the call stays performed once.
        var escalation = Assert.Single(taken.Escalations);
        await host.Escalations.ResolveAsync(escalation.Id, EscalationAction.Approve, "Checked: the note is there once.", "reviewer@agentconsole.local");
        var detail = await host.ExecuteAsync(id);
        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal([UnkeyedConnector.Tool, "crm_update_lead", "crm_set_lead_status"], ToolSteps(detail).Select(t => t.ToolName));
    }

    [Fact]
    public async Task Heartbeat_RenewsTheLeaseWhileAModelCallIsInFlight_SoNoSecondExecutorTakesTheRun()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var release = new ManualResetEventSlim();
        await using var endpoint = await FakeModelEndpoint.StartAsync(request => request.CallNumber switch
        {
            1 => After(release, Crm()),
            2 => Enroll(),
            3 => Notify(),
            _ => Done(),
        });
        await using var host = await StartHostAsync(endpoint, _folders.New(), time, settings: ("AgentConsole:Runs:LeaseDuration", "00:00:30"));
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);

        var first = Task.Run(() => host.Executor.ExecuteAsync(id));
        await EventuallyAsync(() => Task.FromResult(endpoint.CallCount == 1), "the model call");
        // Four heartbeats (every 10 s of a 30 s lease): 40 s in all, longer than the lease itself.
        for (var beat = 0; beat < 4; beat++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            var due = time.GetUtcNow() + TimeSpan.FromSeconds(20);
            await EventuallyAsync(async () => await host.QueryAsync(db => db.Runs.Where(r => r.Id == id).Select(r => r.LeaseExpiresAt).SingleAsync()) >= due,
                $"heartbeat {beat + 1}");
        }

        await host.Executor.ExecuteAsync(id);
        var meanwhile = (await host.Runs.GetAsync(id))!;
        Assert.Equal((RunStatus.Running, 1), (meanwhile.Run.Status, meanwhile.Run.Executions));

        release.Set();
        await first.WaitAsync(Patience);
        var detail = (await host.Runs.GetAsync(id))!;
        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        Assert.Equal(1, detail.Run.Executions);
    }

    [Fact]
    public async Task Recovery_EnqueuesAStrandedRunOnce_WhileTheJobItEnqueuedIsPending()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await RunHost.StartAsync(_folders.New(), time);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var queue = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var queuedByStart = queue.EnqueuedCount("default");
        time.Advance(TimeSpan.FromMinutes(3));
        var recovery = ActivatorUtilities.GetServiceOrCreateInstance<RunRecoveryJob>(host.Services);

        Assert.Equal(1, await recovery.RunAsync(CancellationToken.None));
        Assert.Equal(0, await recovery.RunAsync(CancellationToken.None));
        Assert.Equal(0, await recovery.RunAsync(CancellationToken.None));

        Assert.Equal(queuedByStart + 1, queue.EnqueuedCount("default"));
        var detail = await host.ExecuteAsync(id);
        Assert.Equal(RunStatus.Succeeded, detail.Run.Status);
        Assert.Null(detail.Run.RecoveryEnqueuedAt);
    }

    [Fact]
    public async Task StartUp_LeavesTheRunsOfALiveInstanceAlone_AndRecoveryReclaimsThemOnceItsHeartbeatStops()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = _folders.New();
        using var release = new ManualResetEventSlim();
        await using var endpoint = await FakeModelEndpoint.StartAsync(request => request.CallNumber switch
        {
            1 => After(release, Crm()),
            _ => Done(),
        });
        await using var one = await StartHostAsync(endpoint, folder, time, settings: ("AgentConsole:Runs:InstanceName", "one"));
        var id = await one.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        var executing = Task.Run(() => one.Executor.ExecuteAsync(id));
        await EventuallyAsync(() => Task.FromResult(endpoint.CallCount == 1), "instance one's model call");
        var owner = one.Services.GetRequiredService<EngineInstance>().Id;

        await using var two = await RunHost.StartAsync(folder, time, [.. RunHost.Provider(endpoint.BaseAddress), ("AgentConsole:Runs:InstanceName", "two")]);
        var afterStart = (await two.Runs.GetAsync(id))!.Run;
        Assert.Equal(owner, afterStart.LeaseOwner);
        Assert.Null(afterStart.RecoveryEnqueuedAt);
        var recovery = two.Services.GetRequiredService<RunRecovery>();
        Assert.Equal(0, await recovery.RecoverAsync());

        // Instance one stops beating (its process hangs or died) for longer than the instance time-out.
        await two.QueryAsync(db => db.Set<EngineInstanceRecord>().Where(i => i.Id == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastSeenAt, time.GetUtcNow() - TimeSpan.FromMinutes(1))));
        Assert.Equal(1, await recovery.RecoverAsync());
        var reclaimed = (await two.Runs.GetAsync(id))!.Run;
        Assert.Null(reclaimed.LeaseOwner);
        Assert.Null(reclaimed.LeaseId);

        release.Set();
        await executing.WaitAsync(Patience);
        var detail = await two.ExecuteAsync(id);
        Assert.True(detail.Run.Status == RunStatus.Succeeded, Timeline(detail));
        // Instance one lost the run during its model call: the crm_find_company that call then asked for was never performed.
        Assert.Empty(ToolSteps(detail));
        Assert.Equal(2, endpoint.CallCount);
    }

    [Fact]
    public async Task ToolCallWhoseResultCannotBeSaved_StopsTheExecution_InsteadOfTheModelBeingToldItFailedAndCallingItAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = _folders.New();
        await using var endpoint = await FakeModelEndpoint.StartAsync(request =>
        {
            if (request.CallNumber == 2)
            {
                // The database failure was transient: it is over by the time the model is asked again.
                RefusedWrites.Execute(folder, """DELETE FROM "RefuseToolResults" """);
            }

            return request.CallNumber switch
            {
                1 or 2 => Unkeyed(),
                _ => Done(),
            };
        });
        await using var host = await StartWithUnkeyedToolAsync(endpoint, folder, time);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        // The database refuses to record a tool's result (a locked file, a full disk) after the tool took effect.
        await host.QueryAsync(db => db.Database.ExecuteSqlRawAsync("""CREATE TABLE "RefuseToolResults" ("Refuse" INTEGER); INSERT INTO "RefuseToolResults" VALUES (1);"""));
        await RefusedWrites.CreateAsync(host, "RefuseToolResult", """BEFORE UPDATE OF "InFlight" """, "RunSteps",
            """OLD."InFlight" = TRUE AND NEW."InFlight" = FALSE AND EXISTS (SELECT 1 FROM "RefuseToolResults")""");

        await host.Executor.ExecuteAsync(id);

        // The model was not told that the write failed (it had taken effect), so it could not ask for it again.
        Assert.Equal(1, endpoint.CallCount);
        var stopped = (await host.Runs.GetAsync(id))!;
        Assert.True(Assert.Single(ToolSteps(stopped)).InFlight, Timeline(stopped));

        // Once the lease lapses, the executor that takes the run over asks a person; the call stays performed once.
        await RefusedWrites.DropAsync(host, "RefuseToolResult", "RunSteps");
        await LapseLeaseAsync(host, id, time);
        var resumed = await host.ExecuteAsync(id);
        Assert.True(resumed.Run.Status == RunStatus.WaitingForHuman, Timeline(resumed));
        Assert.Equal(EscalationKind.Interrupted, Assert.Single(resumed.Escalations).Kind);
        Assert.Equal((UnkeyedConnector.Tool, false), (Assert.Single(ToolSteps(resumed)).ToolName, Assert.Single(ToolSteps(resumed)).InFlight));
        Assert.Equal(1, endpoint.CallCount);
    }

    [Fact]
    public async Task ToolCallWhoseRecordCannotBeSaved_StopsTheExecutionBeforeTheTool_AndTheResumedRunPerformsItOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = _folders.New();
        await using var endpoint = await FakeModelEndpoint.StartAsync(request => request.CallNumber switch
        {
            1 or 2 => Crm(),
            _ => Done(),
        });
        await using var host = await StartHostAsync(endpoint, folder, time);
        var id = await host.StartRunAsync(DemoWorkspace.LeadRouterKey, MidMarketLead);
        // The database refuses to put the call on record before it runs (a locked file, a full disk).
        await RefusedWrites.CreateAsync(host, "RefuseToolRecord", "BEFORE INSERT", "RunSteps", """NEW."InFlight" = TRUE""");

        await host.Executor.ExecuteAsync(id);

        // The model was not told that crm_find_company failed, so it did not ask again; the tool never ran and nothing of it was written.
        Assert.Equal(1, endpoint.CallCount);
        var stopped = (await host.Runs.GetAsync(id))!;
        Assert.True(ToolSteps(stopped).Count == 0 && stopped.Run.ToolCalls == 0, Timeline(stopped));

        // Once the lease lapses, the run resumes from its checkpoint: the unperformed call is asked for again and performed once.
        await RefusedWrites.DropAsync(host, "RefuseToolRecord", "RunSteps");
        await LapseLeaseAsync(host, id, time);
        var resumed = await host.ExecuteAsync(id);
        Assert.True(resumed.Run.Status == RunStatus.Succeeded, Timeline(resumed));
        Assert.Equal(("crm_find_company", false), (Assert.Single(ToolSteps(resumed)).ToolName, Assert.Single(ToolSteps(resumed)).InFlight));
        Assert.Equal(3, endpoint.CallCount);
    }

    [Fact]
    public void RunOptions_AreRefused_WhenTheInstanceTimeOutIsShorterThanThreeHeartbeats()
    {
        var options = new RunOptions { InstanceHeartbeatInterval = TimeSpan.FromSeconds(5), InstanceTimeout = TimeSpan.FromSeconds(10) };
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains("InstanceTimeout", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
        var defaults = new RunOptions();
        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(defaults, new(defaults), errors = [], validateAllProperties: true));
    }

    /// <summary>The executor froze (its heartbeat could not run) for longer than its lease.</summary>
    private static Task<int> LapseLeaseAsync(RunHost host, Guid id, FakeTimeProvider time) =>
        host.QueryAsync(db => db.Runs.Where(r => r.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, time.GetUtcNow() - TimeSpan.FromSeconds(1))));

    /// <summary>Everything an executor could write about the run: steps, audit rows, the run's own row.</summary>
    private static Task<string> SnapshotAsync(RunHost host, Guid id) => host.QueryAsync(async db =>
    {
        var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
        var steps = await db.RunSteps.AsNoTracking().Where(s => s.RunId == id).OrderBy(s => s.Sequence)
            .Select(s => $"{s.Sequence}|{s.Title}|{s.InFlight}|{s.JournalJson}").ToListAsync();
        var key = id.ToString();
        var audit = await db.AuditOutbox.CountAsync(e => e.RunId == key) + await db.AuditEvents.CountAsync(e => e.RunId == key);
        return string.Join("\n", [$"{run.Status}|{run.LeaseId}|{run.ModelCalls}|{run.ToolCalls}|{run.ConversationJson}|audit {audit}", .. steps]);
    });
}
