using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentConsole.Benchmarks.Reporting;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Benchmarks.Monitoring;

internal sealed record DashboardBenchmarkOptions(int Runs, int Agents, int Iterations, int BaselineIterations, int Seed, string OutputPath);

/// <summary>
/// P6: the dashboard's server-side data load with a million runs. Seeds the runs straight into a migrated SQLite file
/// (30 days, several agents, realistic outcome mix), builds the rollups with the app's own rebuild, then times what the
/// page loads per refresh — <see cref="RunMetrics"/> plus the two counts it shows — against the same figures recomputed
/// from the runs (<see cref="RawRunMetrics"/>), in the same process on the same file.
/// </summary>
internal sealed class DashboardBenchmark(DashboardBenchmarkOptions options, TextWriter progress)
{
    public const double GoalMs = 200;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    public async Task<string> RunAsync(CancellationToken ct)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "dashboard-bench.db");
        try
        {
            await using var services = Services(path);
            var factory = services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>();
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                await db.Database.MigrateAsync(ct);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }

            var seed = Stopwatch.StartNew();
            var ended = await SeedAsync(path, ct);
            seed.Stop();
            progress.WriteLine($"Seeded {options.Runs:N0} runs in {seed.Elapsed.TotalSeconds:0.0} s");

            var rebuild = Stopwatch.StartNew();
            var counted = await services.GetRequiredService<RollupFolder>().RebuildAsync(ct);
            rebuild.Stop();
            progress.WriteLine($"Rebuilt rollups from {counted:N0} ended runs in {rebuild.Elapsed.TotalSeconds:0.0} s");
            int rollupRows;
            int bucketRows;
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                rollupRows = await db.RunRollups.CountAsync(ct);
                bucketRows = await db.RunDurationRollups.CountAsync(ct);
            }

            var metrics = services.GetRequiredService<RunMetrics>();
            var raw = services.GetRequiredService<RawRunMetrics>();
            var statistics = services.GetRequiredService<RunStatistics>();
            var rows = new List<(string Period, Samples Rollups, Samples Raw, bool Same, int Runs)>();
            foreach (var period in new[] { DashboardPeriod.Today, DashboardPeriod.Week, DashboardPeriod.Month })
            {
                var window = MetricsWindow.For(period, Now, TimeZoneInfo.Utc);
                DashboardData? fromRollups = null;
                var rollupSamples = await TimeAsync(options.Iterations, async () =>
                {
                    fromRollups = await metrics.DashboardAsync(window, null, ct);
                    await statistics.AnyRunsAsync(ct);
                    await statistics.OpenEscalationsAsync(ct);
                }, ct);
                DashboardData? recomputed = null;
                var rawSamples = await TimeAsync(options.BaselineIterations, async () =>
                {
                    recomputed = await raw.DashboardAsync(window, null, Now, ct);
                    await statistics.AnyRunsAsync(ct);
                    await statistics.OpenEscalationsAsync(ct);
                }, ct);
                var same = fromRollups!.Total == recomputed!.Total && fromRollups.Days.SequenceEqual(recomputed.Days) && fromRollups.Agents.SequenceEqual(recomputed.Agents);
                progress.WriteLine($"{period}: rollups p95 {rollupSamples.Percentile(95):0.0} ms, recomputed p95 {rawSamples.Percentile(95):0.0} ms, same figures: {same}");
                rows.Add((Label(period), rollupSamples, rawSamples, same, fromRollups.Total.Runs));
            }

            var size = new DirectoryInfo(folder).EnumerateFiles("dashboard-bench.db*").Sum(f => f.Length);
            return Report(rows, ended, seed.Elapsed, rebuild.Elapsed, rollupRows, bucketRows, size, (loadAtStart, MachineInfo.LoadAverage()));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ServiceProvider Services(string path)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(new FixedClock(Now))
            .AddDbContextFactory<AgentConsoleDbContext>(o => o
                .UseAppDatabase(DatabaseProvider.Sqlite, $"Data Source={path}"));
        services.AddSingleton(Options.Create(new MonitoringOptions()));
        services.AddSingleton<RollupFolder>();
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<RawRunMetrics>();
        services.AddSingleton<RunStatistics>();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Inserts the runs with one prepared statement in batches of 50,000: 30 days back from <see cref="Now"/>, five
    /// agents, 80 % succeeded, 5 % failed, 2 % cancelled, 3 % handled by people, 10 % escalated along the way, 0.1 %
    /// still waiting; execution time log-uniform from 0.3 s to 90 s; cost from $0.001 to $0.05.
    /// </summary>
    private async Task<int> SeedAsync(string path, CancellationToken ct)
    {
        var random = new Random(options.Seed);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(ct);
        var columns = new List<(string Name, string Type, bool Required)>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "PRAGMA table_info(Runs)";
            await using var reader = await info.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                columns.Add((reader.GetString(1), reader.GetString(2), reader.GetInt32(3) == 1 && reader.IsDBNull(4)));
            }
        }

        string[] set = ["Id", "AgentKey", "AgentName", "Status", "InputJson", "CreatedAt", "CreatedBy", "StartedAt", "CompletedAt", "UpdatedAt",
            "ModelCalls", "ToolCalls", "InputTokens", "OutputTokens", "CostUsd", "UsageEstimated", "ActiveMilliseconds", "EscalationCount", "Provider", "ModelId"];
        var filler = columns.Where(c => c.Required && !set.Contains(c.Name)).ToList();
        var names = set.Concat(filler.Select(c => c.Name)).ToList();
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO Runs ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select(n => "$" + n))})";
        var parameters = names.ToDictionary(n => n, n => command.Parameters.Add(new SqliteParameter("$" + n, null)));
        foreach (var (name, type, _) in filler)
        {
            parameters[name].Value = type.Contains("INT", StringComparison.OrdinalIgnoreCase) ? 0 : "";
        }

        // Seeding only: the file is thrown away after the run, so durability and the journal's fsyncs can go.
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;";
            await pragmas.ExecuteNonQueryAsync(ct);
        }

        var span = TimeSpan.FromDays(30).Ticks;
        var step = span / options.Runs;
        var ended = 0;
        for (var done = 0; done < options.Runs;)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            command.Transaction = (SqliteTransaction)transaction;
            for (var i = 0; i < 50_000 && done < options.Runs; i++, done++)
            {
                // In creation order, as an installation writes them (random order would make every index insert a page split).
                var created = Now.AddTicks(-span + (done * step) + (long)(random.NextDouble() * step));
                var ms = (long)Math.Exp(Math.Log(300) + random.NextDouble() * (Math.Log(90_000) - Math.Log(300)));
                var roll = random.NextDouble();
                var status = roll < 0.001 ? RunStatus.WaitingForHuman : roll < 0.051 ? RunStatus.Failed : roll < 0.071 ? RunStatus.Cancelled : roll < 0.101 ? RunStatus.HandledByHuman : RunStatus.Succeeded;
                var escalations = status is RunStatus.WaitingForHuman or RunStatus.HandledByHuman || random.NextDouble() < 0.07 ? 1 : 0;
                var completed = status == RunStatus.WaitingForHuman ? (DateTimeOffset?)null : created.AddMilliseconds(ms);
                if (completed > Now)
                {
                    completed = Now;
                }

                ended += completed is null ? 0 : 1;
                var agent = random.Next(options.Agents);
                parameters["Id"].Value = Guid.CreateVersion7(created).ToString().ToUpperInvariant();
                parameters["AgentKey"].Value = $"agent-{agent}";
                parameters["AgentName"].Value = $"Agent {agent}";
                parameters["Status"].Value = status.ToString();
                parameters["InputJson"].Value = "{}";
                parameters["CreatedAt"].Value = created.UtcTicks;
                parameters["CreatedBy"].Value = "bench";
                parameters["StartedAt"].Value = created.UtcTicks;
                parameters["CompletedAt"].Value = completed is { } c ? c.UtcTicks : DBNull.Value;
                parameters["UpdatedAt"].Value = (completed ?? created).UtcTicks;
                parameters["ModelCalls"].Value = 4;
                parameters["ToolCalls"].Value = 3;
                parameters["InputTokens"].Value = random.Next(1_000, 20_000);
                parameters["OutputTokens"].Value = random.Next(100, 2_000);
                parameters["CostUsd"].Value = (random.Next(1_000, 50_000) / 1_000_000m).ToString(Inv);
                parameters["UsageEstimated"].Value = random.NextDouble() < 0.02 ? 1 : 0;
                parameters["ActiveMilliseconds"].Value = ms;
                parameters["EscalationCount"].Value = escalations;
                parameters["Provider"].Value = "openai";
                parameters["ModelId"].Value = "gpt-4o-mini";
                await command.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            progress.Write($"\rSeeding runs: {done:N0}/{options.Runs:N0}");
        }

        progress.WriteLine();
        return ended;
    }

    private static async Task<Samples> TimeAsync(int iterations, Func<Task> load, CancellationToken ct)
    {
        // One untimed call so the first sample is not the JIT's and SQLite's page cache is warm for both sides alike.
        await load();
        var samples = new Samples();
        for (var i = 0; i < iterations; i++)
        {
            ct.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            await load();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return samples;
    }

    private static string Label(DashboardPeriod period) => period switch
    {
        DashboardPeriod.Today => "Today",
        DashboardPeriod.Week => "7 days",
        _ => "30 days",
    };

    private string Report(List<(string Period, Samples Rollups, Samples Raw, bool Same, int Runs)> rows, int ended, TimeSpan seed, TimeSpan rebuild,
        int rollupRows, int bucketRows, long size, (string Start, string End) load)
    {
        var text = new StringBuilder();
        text.AppendLine("# P6 — dashboard data load at a million runs");
        text.AppendLine();
        text.AppendLine(Inv, $"Command: `dotnet run -c Release --project bench/AgentConsole.Benchmarks -- dashboard --runs {options.Runs} --iterations {options.Iterations} --baseline-iterations {options.BaselineIterations}`");
        text.AppendLine();
        text.AppendLine(Inv, $"Machine: {MachineInfo.Cpu()}, {Environment.ProcessorCount} cores, {MachineInfo.Build()}; load average at start {load.Start}, at end {load.End}.");
        text.AppendLine(Inv, $"Data: {options.Runs:N0} runs of {options.Agents} agents over 30 days ({ended:N0} ended) in one SQLite file of {size / 1024.0 / 1024:N0} MB; seeded in {seed.TotalSeconds:0.0} s; the app's rollup rebuild took {rebuild.TotalSeconds:0.0} s and wrote {rollupRows:N0} agent-hour rows and {bucketRows:N0} duration-bucket rows.");
        text.AppendLine();
        text.AppendLine("One load = what the dashboard does per refresh on the server: `RunMetrics.DashboardAsync` (totals, per-day series, per-agent table, p50/p95) plus the run and open-escalation counts. Baseline: the same figures recomputed from the runs table (`RawRunMetrics`), measured in the same process on the same file. Goal: ≤ 200 ms with rollups.");
        text.AppendLine();
        var table = new MarkdownTable("Period", "Runs counted", "Rollups p50 ms", "Rollups p95 ms", "Recomputed p50 ms", "Recomputed p95 ms", "Speed-up (p50)", "Same figures", "Goal ≤ 200 ms");
        for (var i = 1; i <= 7; i++)
        {
            table.RightAligned.Add(i);
        }

        foreach (var (period, rollups, raw, same, runs) in rows)
        {
            table.Row(period, runs.ToString("N0", Inv), rollups.Percentile(50).ToString("0.0", Inv), rollups.Percentile(95).ToString("0.0", Inv),
                raw.Percentile(50).ToString("0.0", Inv), raw.Percentile(95).ToString("0.0", Inv),
                (raw.Percentile(50) / rollups.Percentile(50)).ToString("0", Inv) + "×", same ? "yes" : "NO",
                rollups.Percentile(95) <= GoalMs ? "met" : "MISSED");
        }

        text.Append(table);
        text.AppendLine();
        text.AppendLine(Inv, $"Rollup loads timed {options.Iterations} times per period, recomputations {options.BaselineIterations} times (each after one untimed warm-up call).");
        return text.ToString();
    }
}

/// <summary>The benchmark's "now": the end of the seeded month, so every period has data.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
