using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AgentConsole.Benchmarks.Reporting;
using AgentConsole.Benchmarks.Runs;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Benchmarks.ScaleOut;

/// <summary>
/// Runs/s of the demo agent with one and with two engine instances on one PostgreSQL database, and the same workload on
/// SQLite, in one benchmark run. Every configuration gets fresh databases; the instances are engine hosts exactly as the
/// app wires them (<c>AddAgentEngine</c> with a Hangfire server each), sharing one queue, and producers start runs
/// round-robin on the instances as a load balancer would. Two workloads: the Offline model in process (CPU-bound) and an
/// OpenAI-compatible HTTP model that answers after a delay (I/O-bound, the case scale-out is for).
/// </summary>
internal sealed class ScaleOutBenchmark(ScaleOutBenchmarkOptions options, TextWriter progress)
{
    private const string Actor = "bench@agentconsole.local";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record Setup(string Workload, DatabaseProvider Provider, int Instances, int WorkersPerInstance, Uri? Model);

    private sealed record Row(Setup Setup, int Round, int Runs, TimeSpan Elapsed, int Succeeded, int Other, int ExecutedTwice, TimeSpan Cpu,
        long PeakWorkingSet, bool ChainOk, long Events, string Load)
    {
        public double Rate => Runs / Elapsed.TotalSeconds;
    }

    public async Task<string> RunAsync(CancellationToken ct)
    {
        var loadStart = MachineInfo.LoadAverage();
        await using var postgres = await BenchPostgres.StartAsync();
        await using var endpoint = await OfflineModelEndpoint.StartAsync(options.ModelDelay);
        var io = $"HTTP model, {options.ModelDelay.TotalMilliseconds:0} ms per call";
        Setup[] setups =
        [
            new("Offline model", DatabaseProvider.Sqlite, 1, options.Workers, null),
            new("Offline model", DatabaseProvider.Postgres, 1, options.Workers, null),
            new("Offline model", DatabaseProvider.Postgres, 2, options.Workers, null),
            new(io, DatabaseProvider.Sqlite, 1, options.Workers, endpoint.BaseAddress),
            new(io, DatabaseProvider.Postgres, 1, options.Workers, endpoint.BaseAddress),
            new(io, DatabaseProvider.Postgres, 2, options.Workers, endpoint.BaseAddress),
            // The control: one instance with the workers of two. A run holds a Hangfire worker while it waits on the model,
            // so part of what a second instance adds is workers; this row says how much.
            new(io, DatabaseProvider.Postgres, 1, options.Workers * 2, endpoint.BaseAddress),
        ];
        var rows = new List<Row>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var setup in setups)
            {
                rows.Add(await MeasureAsync(setup, round, postgres, ct));
            }
        }

        return Report(rows, loadStart, MachineInfo.LoadAverage(), postgres.Version);
    }

    private async Task<Row> MeasureAsync(Setup setup, int round, BenchPostgres postgres, CancellationToken ct)
    {
        progress.WriteLine($"{setup.Workload}, {setup.Provider} ×{setup.Instances} ({setup.WorkersPerInstance} workers each), round {round}, load {MachineInfo.LoadAverage()} …");
        Dictionary<string, string?>? database = null;
        if (setup.Provider == DatabaseProvider.Postgres)
        {
            var connection = await postgres.NewDatabaseAsync();
            database = new()
            {
                ["AgentConsole:Database:Provider"] = "Postgres",
                ["ConnectionStrings:AgentConsole"] = connection,
                ["ConnectionStrings:Hangfire"] = connection,
                ["AgentConsole:Audit:HmacKey"] = "bench-audit-key-0123456789abcdefghijklmnopqrstuv",
            };
        }

        var settings = new EngineSettings(setup.WorkersPerInstance, TimeSpan.FromSeconds(1), setup.Model);
        var engines = new List<BenchEngine>();
        try
        {
            // One after the other: the first applies the migrations and seeds the demo, as a rolling start would.
            for (var i = 0; i < setup.Instances; i++)
            {
                engines.Add(await BenchEngine.StartAsync(settings, ct, database));
            }

            await BatchAsync(engines, options.Warmup, 0, ct);
            await using var memory = new MemorySampler();
            using var process = Process.GetCurrentProcess();
            var cpuStart = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var settled = await BatchAsync(engines, options.Runs, options.Warmup, ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = process.TotalProcessorTime - cpuStart;

            await using var db = await engines[0].Get<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(ct);
            var succeeded = await db.Runs.CountAsync(r => r.Status == RunStatus.Succeeded, ct);
            var twice = await db.Runs.CountAsync(r => r.Executions > 1, ct);
            await WaitForSealedAsync(engines[0], ct);
            var verification = await engines[0].Get<AuditChain>().VerifyAsync(ct);
            var row = new Row(setup, round, options.Runs, elapsed, succeeded - options.Warmup, settled - succeeded, twice, cpu,
                memory.PeakWorkingSet, verification.Ok, verification.EventsChecked, MachineInfo.LoadAverage());
            progress.WriteLine($"  {row.Rate:N1} runs/s, {row.Succeeded:N0} succeeded, executed twice {twice}, chain {(verification.Ok ? "verifies" : "BROKEN: " + verification.Reason)}");
            return row;
        }
        finally
        {
            foreach (var engine in engines)
            {
                await engine.DisposeAsync();
            }
        }
    }

    /// <summary>Starts <paramref name="count"/> runs round-robin on the instances and waits until every run has settled.</summary>
    private async Task<int> BatchAsync(List<BenchEngine> engines, int count, int settledBefore, CancellationToken ct)
    {
        var next = 0;
        var producers = Enumerable.Range(0, options.Producers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i <= count; i = Interlocked.Increment(ref next))
            {
                var result = await engines[i % engines.Count].Get<AgentRuns>().StartAsync(DemoWorkspace.LeadRouterKey, RunsBenchmark.Lead(i), Actor, ct: ct);
                if (result.Outcome != RunCommandOutcome.Done)
                {
                    throw new InvalidOperationException($"Starting a run failed: {result.Outcome} {result.Message}");
                }
            }
        }, ct)).ToList();
        await Task.WhenAll(producers);

        var factory = engines[0].Get<IDbContextFactory<AgentConsoleDbContext>>();
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * Math.Max(180, count / 2));
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var settled = await db.Runs.CountAsync(r => r.Status != RunStatus.Queued && r.Status != RunStatus.Running, ct);
            if (settled >= settledBefore + count || Stopwatch.GetTimestamp() > deadline)
            {
                return settled;
            }

            await Task.Delay(20, ct);
        }
    }

    private static async Task WaitForSealedAsync(BenchEngine engine, CancellationToken ct)
    {
        var factory = engine.Get<IDbContextFactory<AgentConsoleDbContext>>();
        for (var i = 0; i < 3000; i++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if (!await db.AuditOutbox.AnyAsync(ct))
            {
                return;
            }

            await Task.Delay(20, ct);
        }
    }

    private string Report(List<Row> rows, string loadStart, string loadEnd, string postgresVersion)
    {
        var text = new StringBuilder();
        text.AppendLine("# Scale-out benchmark: one and two instances on PostgreSQL, and SQLite").AppendLine();
        text.AppendLine(Inv, $"`dotnet run -c Release --project bench/AgentConsole.Benchmarks -- scaleout --runs {options.Runs} --warmup {options.Warmup} --workers {options.Workers} --producers {options.Producers} --delay-ms {options.ModelDelay.TotalMilliseconds:0} --rounds {options.Rounds}`").AppendLine();
        text.Append(Inv, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · ")
            .Append(Inv, $"{Environment.ProcessorCount} cores{MachineInfo.Cpu()} · {MachineInfo.Build()} · PostgreSQL {postgresVersion} (local, default durability) · ")
            .AppendLine(Inv, $"load average {loadStart} at start, {loadEnd} at end").AppendLine();
        text.Append("Each configuration starts fresh databases and its engine instance(s) exactly as the app wires them (`AddAgentEngine`, a Hangfire server per instance, the audit outbox and sealer), ")
            .Append(Inv, $"runs {options.Warmup:N0} untimed warm-up runs, then starts {options.Runs:N0} demo runs (the lead router's full path: decision table, 4 model turns, 3 tool calls) from {options.Producers} producers, round-robin over the instances. ")
            .Append("Rate = runs ÷ time from the first start to the last run settled. The instances are hosts in one process on the same 2 cores, so CPU is shared exactly as two processes on this machine would share it; ")
            .AppendLine("the PostgreSQL server runs on the same machine too.").AppendLine();

        foreach (var workload in rows.Select(r => r.Setup.Workload).Distinct())
        {
            var of = rows.Where(r => r.Setup.Workload == workload).ToList();
            double Median(DatabaseProvider p, int instances, int workers) =>
                MedianOf(of.Where(r => r.Setup.Provider == p && r.Setup.Instances == instances && r.Setup.WorkersPerInstance == workers).Select(r => r.Rate));
            var one = Median(DatabaseProvider.Postgres, 1, options.Workers);
            var two = Median(DatabaseProvider.Postgres, 2, options.Workers);
            var sqlite = Median(DatabaseProvider.Sqlite, 1, options.Workers);
            text.AppendLine(Inv, $"## {workload}").AppendLine();
            var summary = new MarkdownTable("measure", "result");
            summary.RightAligned.Add(1);
            summary.Row("PostgreSQL, two instances ÷ one instance (scaling ratio, median of rounds)", $"{two / one:N2}×");
            summary.Row("PostgreSQL one instance ÷ SQLite one instance", $"{one / sqlite:N2}×");
            summary.Row("PostgreSQL two instances ÷ SQLite one instance", $"{two / sqlite:N2}×");
            var control = Median(DatabaseProvider.Postgres, 1, options.Workers * 2);
            if (!double.IsNaN(control))
            {
                summary.Row($"PostgreSQL one instance with {options.Workers * 2} workers ÷ one instance with {options.Workers}", $"{control / one:N2}×");
            }

            text.AppendLine(summary.ToString()).AppendLine();
            var table = new MarkdownTable("database", "instances", "workers / instance", "round", "runs", "time", "runs/s", "succeeded", "other", "executed twice", "CPU / run", "peak working set", "audit chain", "load at end");
            foreach (var i in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 })
            {
                table.RightAligned.Add(i);
            }

            foreach (var r in of)
            {
                table.Row(r.Setup.Provider == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite", r.Setup.Instances.ToString(Inv), r.Setup.WorkersPerInstance.ToString(Inv),
                    r.Round.ToString(Inv), r.Runs.ToString("N0", Inv), $"{r.Elapsed.TotalSeconds:N2} s", $"{r.Rate:N1}", r.Succeeded.ToString("N0", Inv), r.Other.ToString("N0", Inv),
                    r.ExecutedTwice.ToString(Inv), $"{r.Cpu.TotalMilliseconds / r.Runs:N1} ms", $"{r.PeakWorkingSet / 1048576.0:N0} MiB",
                    r.ChainOk ? $"{r.Events:N0} events ✓" : "✗", r.Load);
            }

            text.AppendLine(table.ToString()).AppendLine();
        }

        return text.ToString();
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
