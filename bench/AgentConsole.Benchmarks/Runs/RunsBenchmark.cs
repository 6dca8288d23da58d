using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using AgentConsole.Benchmarks.Reporting;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Benchmarks.Runs;

internal sealed record RunsBenchmarkOptions(
    bool P1,
    bool P2,
    int NoOpJobs,
    int P1Runs,
    int P1Workers,
    int P2Runs,
    int P2Workers,
    TimeSpan QueuePollInterval,
    int Producers,
    TimeSpan ModelDelay,
    int Warmup,
    int P2Warmup,
    int Rounds,
    string OutputPath);

/// <summary>
/// End-to-end run throughput of the demo agent against bare Hangfire on the same storage, measured in one process:
/// every measurement gets a fresh engine host over a fresh temp folder, so no measurement inherits another's
/// database, queue or caches except the JIT's.
/// </summary>
internal sealed class RunsBenchmark(RunsBenchmarkOptions options, TextWriter progress)
{
    public const double P1RatioGoal = 0.8;
    public const double PeerRunsPerSecond = 220;
    public const int P2InFlightGoal = 100;
    public const double P2RateGoal = 50;
    public const long P2MemoryGoal = 500L * 1024 * 1024;
    private const string Actor = "bench@agentconsole.local";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<string> RunAsync(CancellationToken ct)
    {
        JobStateCounter.Register();
        var loadStart = MachineInfo.LoadAverage();
        var p1 = new List<(Measurement NoOp, Measurement Runs)>();
        var p2 = new List<Measurement>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            if (options.P1)
            {
                var settings = new EngineSettings(options.P1Workers, options.QueuePollInterval);
                // Alternating the two in every round spreads the machine's other load over both sides of the ratio.
                var noOp = await MeasureAsync($"no-op jobs, round {round}", Workload.NoOp, settings, options.NoOpJobs, null, ct);
                var runs = await MeasureAsync($"demo runs (Offline), round {round}", Workload.DemoRuns, settings, options.P1Runs, null, ct);
                p1.Add((noOp, runs));
            }

            if (options.P2)
            {
                await using var endpoint = await OfflineModelEndpoint.StartAsync(options.ModelDelay);
                var settings = new EngineSettings(options.P2Workers, options.QueuePollInterval, endpoint.BaseAddress);
                p2.Add(await MeasureAsync($"demo runs (HTTP model, {options.ModelDelay.TotalMilliseconds:0} ms), round {round}", Workload.DemoRuns, settings, options.P2Runs, endpoint, ct));
            }
        }

        return Report(p1, p2, loadStart, MachineInfo.LoadAverage());
    }

    private async Task<Measurement> MeasureAsync(string name, Workload workload, EngineSettings settings, int count, OfflineModelEndpoint? endpoint, CancellationToken ct)
    {
        progress.WriteLine($"{name}: {count:N0} × ({settings.Describe()}), load {MachineInfo.LoadAverage()} …");
        await using var engine = await BenchEngine.StartAsync(settings, ct);
        var warmup = endpoint is null ? options.Warmup : options.P2Warmup;
        if (warmup > 0)
        {
            // JIT, EF model building, connection pools and Hangfire's first fetches happen here, not in the timing.
            await BatchAsync(engine, workload, warmup, null, ct);
        }

        var measurement = await BatchAsync(engine, workload, count, endpoint, ct) with { Name = name, Settings = settings };
        progress.WriteLine($"  {measurement.Rate:N1}/s, {measurement.Succeeded:N0}/{count:N0} succeeded, peak running {measurement.PeakRunning}, " +
            $"peak working set {measurement.PeakWorkingSet / 1048576.0:N0} MiB, load {measurement.LoadEnd}");
        return measurement;
    }

    private async Task<Measurement> BatchAsync(BenchEngine engine, Workload workload, int count, OfflineModelEndpoint? endpoint, CancellationToken ct)
    {
        var loadStart = MachineInfo.LoadAverage();
        var counter = JobStateCounter.Instance;
        counter.Reset();
        var tracker = new RunTracker(count);
        var notifications = engine.Get<RunNotifications>();
        var runs = engine.Get<AgentRuns>();
        var jobs = engine.Get<IBackgroundJobClient>();
        var callsBefore = endpoint?.Calls ?? 0;
        var (succeededBefore, _) = HangfireTotals(engine);
        var runsBefore = await CountRunsAsync(engine, ct);
        notifications.Updated += tracker.OnUpdated;
        var startFailures = 0;
        await using var memory = new MemorySampler();
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var next = 0;
            var producers = Enumerable.Range(0, options.Producers).Select(p => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i <= count; i = Interlocked.Increment(ref next))
                {
                    if (workload == Workload.NoOp)
                    {
                        jobs.Enqueue<NoOpJob>(job => job.Run());
                        continue;
                    }

                    var result = await runs.StartAsync(DemoWorkspace.LeadRouterKey, Lead(i), Actor, ct: ct);
                    if (result.Outcome != RunCommandOutcome.Done)
                    {
                        Interlocked.Increment(ref startFailures);
                        progress.WriteLine($"  start failed: {result.Outcome} {result.Message}");
                    }
                }
            }, ct)).ToList();
            await Task.WhenAll(producers);
            var enqueued = Stopwatch.GetElapsedTime(started);

            // A stuck measurement ends with what it has rather than hanging the harness.
            var deadline = TimeSpan.FromSeconds(Math.Max(120, count / 2.0));
            var timedOut = false;
            while (counter.Succeeded + counter.Failed < count - startFailures
                || (workload == Workload.DemoRuns && tracker.Finished < count - startFailures))
            {
                if (Stopwatch.GetElapsedTime(started) > deadline)
                {
                    timedOut = true;
                    progress.WriteLine($"  timed out: {tracker.Finished:N0} runs finished, {counter.Succeeded:N0} jobs succeeded");
                    break;
                }

                await Task.Delay(5, ct);
            }

            var jobsDone = counter.LastSucceededAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started, counter.LastSucceededAt);
            var completed = workload == Workload.NoOp || tracker.LastFinishedAt == 0 ? jobsDone : Stopwatch.GetElapsedTime(started, tracker.LastFinishedAt);
            var cpu = process.TotalProcessorTime - cpuStart;
            TimeSpan? sealedAt = null;
            if (workload == Workload.DemoRuns)
            {
                sealedAt = await WaitForSealedAsync(engine, started, ct);
            }

            var statuses = await CountRunsAsync(engine, ct);
            var succeeded = statuses.GetValueOrDefault(RunStatus.Succeeded) - runsBefore.GetValueOrDefault(RunStatus.Succeeded);
            var other = statuses.Where(s => s.Key != RunStatus.Succeeded)
                .Select(s => (s.Key, N: s.Value - runsBefore.GetValueOrDefault(s.Key)))
                .Where(s => s.N > 0)
                .ToDictionary(s => s.Key.ToString(), s => s.N);
            var (hangfireSucceeded, hangfireFailed) = HangfireTotals(engine);
            var (events, chainOk) = workload == Workload.DemoRuns ? await AuditAsync(engine, ct) : (0L, (bool?)null);
            return new Measurement(
                "", workload, null!, count, options.Producers, enqueued, completed, jobsDone, sealedAt, timedOut,
                workload == Workload.NoOp ? counter.Succeeded : succeeded, other, startFailures,
                (int)(hangfireSucceeded - succeededBefore), (int)hangfireFailed,
                tracker.PeakRunning, endpoint?.PeakInFlight ?? 0, (endpoint?.Calls ?? 0) - callsBefore,
                memory.PeakWorkingSet, memory.PeakGcHeap, cpu, events, chainOk, loadStart, MachineInfo.LoadAverage());
        }
        finally
        {
            notifications.Updated -= tracker.OnUpdated;
        }
    }

    /// <summary>The i-th demo lead: a 42-employee company, so every run takes the full mid-market path.</summary>
    internal static JsonObject Lead(int i) => new()
    {
        ["name"] = $"Dana Lee {i}",
        ["email"] = $"dana{i}@acme.example",
        ["company"] = "Acme GmbH",
        ["employees"] = 42,
        ["industry"] = "Software",
    };

    private static (long Succeeded, long Failed) HangfireTotals(BenchEngine engine)
    {
        var stats = engine.Storage.GetMonitoringApi().GetStatistics();
        return (stats.Succeeded, stats.Failed);
    }

    private static async Task<Dictionary<RunStatus, int>> CountRunsAsync(BenchEngine engine, CancellationToken ct)
    {
        await using var db = await engine.Get<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(ct);
        return await db.Runs.GroupBy(r => r.Status).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct);
    }

    /// <summary>When the sealer had moved the last outbox row into the hash chain (it seals in the background).</summary>
    private static async Task<TimeSpan?> WaitForSealedAsync(BenchEngine engine, long started, CancellationToken ct)
    {
        var factory = engine.Get<IDbContextFactory<AgentConsoleDbContext>>();
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 60);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (!await db.AuditOutbox.AnyAsync(ct))
            {
                return Stopwatch.GetElapsedTime(started);
            }

            await Task.Delay(10, ct);
        }

        return null;
    }

    private static async Task<(long Events, bool? ChainOk)> AuditAsync(BenchEngine engine, CancellationToken ct)
    {
        await using (var db = await engine.Get<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(ct))
        {
            var events = await db.AuditEvents.LongCountAsync(ct);
            var verification = await engine.Get<AuditChain>().VerifyAsync(ct);
            return (events, verification.Ok);
        }
    }

    private string Report(List<(Measurement NoOp, Measurement Runs)> p1, List<Measurement> p2, string loadStart, string loadEnd)
    {
        var text = new StringBuilder();
        text.AppendLine("# Run throughput benchmark").AppendLine();
        text.AppendLine(Inv, $"`dotnet run -c Release --project bench/AgentConsole.Benchmarks -- {Command()}`").AppendLine();
        text.Append(Inv, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · ")
            .Append(Inv, $"{Environment.ProcessorCount} cores{MachineInfo.Cpu()} · {MachineInfo.Build()} · {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC · ")
            .AppendLine(Inv, $"load average {loadStart} at start, {loadEnd} at end (other developers' builds share the cores)").AppendLine();
        text.Append("Every measurement starts the engine as the app wires it (`AddAgentEngine`: EF Core SQLite, Hangfire SQLite storage and an in-process Hangfire server, the audit outbox and its background sealer) over a fresh temp folder, ")
            .Append(Inv, $"runs untimed warm-up items ({options.Warmup:N0} for P1, so both sides are measured after tiered JIT has settled; {options.P2Warmup:N0} for P2), then enqueues the measured batch from {options.Producers} concurrent producers. ")
            .AppendLine("Rate = items ÷ time from the first enqueue to the last completion (a run's final status saved; a job's Succeeded state written).").AppendLine();

        if (p1.Count > 0)
        {
            var noOp = Median(p1.Select(r => r.NoOp.Rate));
            var runs = Median(p1.Select(r => r.Runs.Rate));
            var ratio = Median(p1.Select(r => r.Runs.Rate / r.NoOp.Rate));
            var allOk = p1.All(r => r.Runs.AllSucceeded && r.NoOp.AllSucceeded);
            text.AppendLine("## P1: demo runs with the Offline model and full audit vs bare Hangfire").AppendLine();
            var goals = new MarkdownTable("measure", "result", "goal", "");
            goals.RightAligned.Add(1);
            goals.Row("demo runs/s ÷ no-op jobs/s (median of rounds)", Ratio(ratio), $"≥ {P1RatioGoal:0.0}×", Mark(ratio >= P1RatioGoal));
            goals.Row("demo runs/s, absolute (median)", $"{runs:N1}/s", $"peer: {PeerRunsPerSecond:N0}/s on 2 vCPUs", Mark(runs >= PeerRunsPerSecond));
            goals.Row("no-op Hangfire jobs/s, same storage and workers (median)", $"{noOp:N1}/s", "", "");
            goals.Row("all runs Succeeded, audit chain verifies", allOk && p1.All(r => r.Runs.AuditChainOk == true) ? "yes" : "NO", "all", Mark(allOk));
            text.AppendLine(goals.ToString()).AppendLine();
            text.AppendLine(MeasurementTable(p1.SelectMany(r => new[] { r.NoOp, r.Runs }))).AppendLine();
        }

        if (p2.Count > 0)
        {
            var rate = Median(p2.Select(m => m.Rate));
            var inFlight = p2.Min(m => m.PeakRunning);
            var memory = p2.Max(m => m.PeakWorkingSet);
            var allOk = p2.All(m => m.AllSucceeded);
            text.AppendLine(Inv, $"## P2: demo runs against a local HTTP model that answers after {options.ModelDelay.TotalMilliseconds:0} ms").AppendLine();
            text.AppendLine("The endpoint is OpenAI-compatible and in this process (Kestrel on loopback); it lets the Offline model choose each answer from the conversation it was sent, " +
                "so every run takes the full demo path: the decision table, then 4 model calls (crm_find_company, crm_update_lead, crm_set_lead_status, final answer) with 3 tool calls in between. " +
                "A run therefore spends at least 2 s waiting on the model.").AppendLine();
            var goals = new MarkdownTable("measure", "result", "goal", "");
            goals.RightAligned.Add(1);
            goals.Row("peak runs Running at once (lowest of rounds)", inFlight.ToString("N0", Inv), $"≥ {P2InFlightGoal}", Mark(inFlight >= P2InFlightGoal));
            goals.Row("runs/s (median)", $"{rate:N1}/s", $"≥ {P2RateGoal:N0}/s", Mark(rate >= P2RateGoal));
            goals.Row("peak working set, sampled every 100 ms (highest)", $"{memory / 1048576.0:N0} MiB", "≤ 500 MB", Mark(memory <= P2MemoryGoal));
            goals.Row("all runs Succeeded, audit chain verifies", allOk && p2.All(m => m.AuditChainOk == true) ? "yes" : "NO", "all", Mark(allOk));
            text.AppendLine(goals.ToString()).AppendLine();
            text.AppendLine(MeasurementTable(p2)).AppendLine();
        }

        using var self = Process.GetCurrentProcess();
        text.AppendLine(Inv, $"Process peak working set over the whole benchmark: {self.PeakWorkingSet64 / 1048576.0:N0} MiB.");
        return text.ToString();
    }

    private static string MeasurementTable(IEnumerable<Measurement> measurements)
    {
        var table = new MarkdownTable("measurement", "engine", "items", "enqueued in", "done in", "rate", "all jobs Succeeded", "audit sealed", "succeeded", "other", "peak running", "peak model calls", "peak working set", "peak GC heap", "CPU / item", "audit events", "load");
        foreach (var i in new[] { 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15 })
        {
            table.RightAligned.Add(i);
        }

        foreach (var m in measurements)
        {
            table.Row(
                m.Name,
                m.Settings.Describe(),
                m.Count.ToString("N0", Inv),
                Seconds(m.Enqueued),
                Seconds(m.Completed) + (m.TimedOut ? " (timed out)" : ""),
                $"{m.Rate:N1}/s",
                Seconds(m.JobsSucceeded),
                m.AuditSealed is { } s ? Seconds(s) : m.Workload == Workload.NoOp ? "" : "not within 60 s",
                m.Succeeded.ToString("N0", Inv),
                string.Join(", ", m.Other.Select(o => $"{o.Key} {o.Value}").Concat(m.StartFailures > 0 ? [$"start failed {m.StartFailures}"] : [])
                    .Concat(m.HangfireFailed > 0 ? [$"Hangfire failed {m.HangfireFailed}"] : [])),
                m.Workload == Workload.NoOp ? "" : m.PeakRunning.ToString("N0", Inv),
                m.ModelCalls == 0 ? "" : m.PeakModelCalls.ToString("N0", Inv),
                $"{m.PeakWorkingSet / 1048576.0:N0} MiB",
                $"{m.PeakGcHeap / 1048576.0:N0} MiB",
                $"{m.CpuTime.TotalMilliseconds / m.Count:N1} ms",
                m.Workload == Workload.NoOp ? "" : m.AuditEvents.ToString("N0", Inv) + (m.AuditChainOk == true ? " ✓" : " ✗"),
                $"{m.LoadStart} → {m.LoadEnd}");
        }

        return table.ToString();
    }

    private string Command()
    {
        var mode = options.P1 && options.P2 ? "runs" : options.P1 ? "runs-p1" : "runs-p2";
        return mode;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:N2} s";

    private static string Ratio(double r) => $"{r:N2}×";

    private static string Mark(bool met) => met ? "met" : "**not met**";
}
