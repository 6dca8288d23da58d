using System.Globalization;
using AgentConsole.Benchmarks.Audit;
using AgentConsole.Benchmarks.Reliability;
using AgentConsole.Benchmarks.Runs;
using AgentConsole.Benchmarks.Webhooks;

namespace AgentConsole.Benchmarks;

/// <summary>
/// Purpose-built benchmarks for AgentConsole. Each prints a Markdown table to stdout (progress goes to stderr)
/// and writes it under bench/results/.
/// <code>dotnet run -c Release --project bench/AgentConsole.Benchmarks -- audit [--events 1000000] [--batch 10000]
///     [--iterations 200] [--warmup 20] [--seed 42] [--out bench/results/audit.md] [--keep-db]
/// dotnet run -c Release --project bench/AgentConsole.Benchmarks -- runs|runs-p1|runs-p2 [--noop N] [--runs N] [--workers N]
///     [--p2-runs N] [--p2-workers N] [--poll-ms N] [--producers N] [--delay-ms N] [--warmup N] [--p2-warmup N] [--rounds N] [--out PATH|-]
/// dotnet run -c Release --project bench/AgentConsole.Benchmarks -- runs-profile [runs] [warm-up]
/// dotnet run -c Release --project bench/AgentConsole.Benchmarks -- crash [--kills N] [--clients N] [--min-uptime S] [--max-uptime S]
///     [--settle-timeout S] [--seed N] [--no-build] [--runs N] [--fault-ratio R] [--out PATH|-]
/// dotnet run -c Release --project bench/AgentConsole.Benchmarks -- webhooks [--connections N] [--duration S] [--warmup S] [--no-build] [--out PATH|-]
/// dotnet run -c Release --project bench/AgentConsole.Benchmarks -- dashboard [--runs N] [--agents N] [--iterations N] [--baseline-iterations N] [--seed N] [--out PATH|-]
/// dotnet run -c Release --project bench/AgentConsole.Benchmarks -- scaleout [--runs N] [--warmup N] [--workers N] [--producers N] [--delay-ms N] [--rounds N] [--out PATH|-]</code>
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: audit [--events N] [--batch N] [--iterations N] [--warmup N] [--seed N] [--out PATH|-] [--keep-db]\n" +
        "       runs|runs-p1|runs-p2 [--noop N] [--runs N] [--workers N] [--p2-runs N] [--p2-workers N] [--poll-ms N]\n" +
        "            [--producers N] [--delay-ms N] [--warmup N] [--p2-warmup N] [--rounds N] [--out PATH|-]\n" +
        "       effects-selfcheck\n" +
        "       crash [--kills N] [--clients N] [--min-uptime S] [--max-uptime S] [--settle-timeout S] [--seed N] [--no-build]\n" +
        "            [--runs N] [--fault-ratio R] [--out PATH|-]   (R1: --runs 2000 --kills 20; R2: the same with --fault-ratio 0.3)\n" +
        "       webhooks [--connections N] [--duration S] [--warmup S] [--no-build] [--out PATH|-]   (P3)\n" +
        "       dashboard [--runs N] [--agents N] [--iterations N] [--baseline-iterations N] [--seed N] [--out PATH|-]   (P6)\n" +
        "       scaleout [--runs N] [--warmup N] [--workers N] [--producers N] [--delay-ms N] [--rounds N] [--out PATH|-]   (PostgreSQL scale-out)";

    public static async Task<int> Main(string[] args)
    {
        var mode = args.Length == 0 ? "" : args[0];
        if (mode == "runs-profile")
        {
            // A profiling aid: prints the engine's CPU per run without Hangfire; writes no results file.
            var n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
            var warmup = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Math.Min(50, n);
            await Console.Out.WriteAsync(await new RunsProfile(n, warmup, Console.Error).RunAsync(CancellationToken.None));
            return 0;
        }

        if (mode == "effects-selfcheck")
        {
            // Proves the R1/R2 effect counter on a database with known answers.
            var (passed, report) = SandboxEffectsSelfCheck.Run();
            await Console.Out.WriteAsync(report);
            return passed ? 0 : 1;
        }

        if (mode == BaselineServer.Mode && args.Length == 4)
        {
            // The P3 baseline, started by the webhooks benchmark in a process of its own.
            return await BaselineServer.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3]);
        }

        if (mode is not ("audit" or "runs" or "runs-p1" or "runs-p2" or "crash" or "webhooks" or "dashboard" or "scaleout"))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        Func<CancellationToken, Task<string>> benchmark;
        string outputPath;
        try
        {
            if (mode == "scaleout")
            {
                var scaleOut = ParseScaleOut(args.AsSpan(1));
                benchmark = ct => new ScaleOut.ScaleOutBenchmark(scaleOut, Console.Error).RunAsync(ct);
                outputPath = scaleOut.OutputPath;
            }
            else if (mode == "dashboard")
            {
                var dashboard = ParseDashboard(args.AsSpan(1));
                benchmark = ct => new Monitoring.DashboardBenchmark(dashboard, Console.Error).RunAsync(ct);
                outputPath = dashboard.OutputPath;
            }
            else if (mode == "webhooks")
            {
                var webhooks = ParseWebhooks(args.AsSpan(1));
                benchmark = ct => new WebhookBenchmark(webhooks, Console.Error).RunAsync(ct);
                outputPath = webhooks.OutputPath;
            }
            else if (mode == "crash")
            {
                var crash = ParseCrash(args.AsSpan(1));
                benchmark = ct => new CrashBenchmark(crash, Console.Error).RunAsync(ct);
                outputPath = crash.OutputPath;
            }
            else if (mode == "audit")
            {
                var audit = ParseAudit(args.AsSpan(1));
                benchmark = ct => new AuditBenchmark(audit, Console.Error).RunAsync(ct);
                outputPath = audit.OutputPath;
            }
            else
            {
                var runs = ParseRuns(mode, args.AsSpan(1));
                benchmark = ct => new RunsBenchmark(runs, Console.Error).RunAsync(ct);
                outputPath = runs.OutputPath;
            }
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        // Ctrl+C cancels the run and still lets it delete its temp database.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var report = await benchmark(cancel.Token);
            await Console.Out.WriteAsync(report);
            if (outputPath != "-")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
                await File.WriteAllTextAsync(outputPath, report, CancellationToken.None);
                await Console.Error.WriteLineAsync($"Written to {Path.GetFullPath(outputPath)}");
            }

            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }

    private static ScaleOut.ScaleOutBenchmarkOptions ParseScaleOut(ReadOnlySpan<string> args)
    {
        var options = new ScaleOut.ScaleOutBenchmarkOptions(
            Runs: 1_000,
            Warmup: 200,
            Workers: 20,
            Producers: 4,
            ModelDelay: TimeSpan.FromMilliseconds(100),
            Rounds: 2,
            OutputPath: Path.Combine(RepositoryRoot(), "bench", "results", "scaleout.md"));
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--runs" => options with { Runs = Bounded(name, value, 1_000_000) },
                "--warmup" => options with { Warmup = Bounded(name, value, 100_000) },
                "--workers" => options with { Workers = Bounded(name, value, 200) },
                "--producers" => options with { Producers = Bounded(name, value, 64) },
                "--delay-ms" => options with { ModelDelay = TimeSpan.FromMilliseconds(Bounded(name, value, 60_000)) },
                "--rounds" => options with { Rounds = Bounded(name, value, 20) },
                "--out" => options with { OutputPath = value },
                _ => throw new FormatException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static Monitoring.DashboardBenchmarkOptions ParseDashboard(ReadOnlySpan<string> args)
    {
        var options = new Monitoring.DashboardBenchmarkOptions(
            Runs: 1_000_000,
            Agents: 5,
            Iterations: 50,
            BaselineIterations: 5,
            Seed: 42,
            OutputPath: Path.Combine(RepositoryRoot(), "bench", "results", "dashboard-p6.md"));
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--runs" => options with { Runs = Bounded(name, value, 20_000_000) },
                "--agents" => options with { Agents = Bounded(name, value, 1_000) },
                "--iterations" => options with { Iterations = Bounded(name, value, 100_000) },
                "--baseline-iterations" => options with { BaselineIterations = Bounded(name, value, 1_000) },
                "--seed" => options with { Seed = Bounded(name, value, int.MaxValue) },
                "--out" => options with { OutputPath = value },
                _ => throw new FormatException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static AuditBenchmarkOptions ParseAudit(ReadOnlySpan<string> args)
    {
        var options = new AuditBenchmarkOptions(
            Events: 1_000_000,
            BatchSize: 10_000,
            Iterations: 200,
            Warmup: 20,
            Seed: 42,
            OutputPath: Path.Combine(RepositoryRoot(), "bench", "results", "audit.md"),
            KeepDatabase: false);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--keep-db")
            {
                options = options with { KeepDatabase = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--events" => options with { Events = Positive(name, value) },
                "--batch" => options with { BatchSize = (int)Math.Min(Positive(name, value), 1_000_000) },
                "--iterations" => options with { Iterations = (int)Math.Min(Positive(name, value), 1_000_000) },
                "--warmup" => options with { Warmup = (int)Math.Min(Positive(name, value), 1_000_000) },
                "--seed" => options with { Seed = (int)Positive(name, value) },
                "--out" => options with { OutputPath = value },
                _ => throw new FormatException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static RunsBenchmarkOptions ParseRuns(string mode, ReadOnlySpan<string> args)
    {
        var options = new RunsBenchmarkOptions(
            P1: mode is "runs" or "runs-p1",
            P2: mode is "runs" or "runs-p2",
            NoOpJobs: 2_000,
            P1Runs: 2_000,
            P1Workers: new AgentConsole.Engine.Jobs.JobsOptions().WorkerCount,
            P2Runs: 1_000,
            P2Workers: 200,
            QueuePollInterval: new AgentConsole.Engine.Jobs.JobsOptions().QueuePollInterval,
            Producers: 4,
            ModelDelay: TimeSpan.FromMilliseconds(500),
            // P1 compares steady states: about a thousand items until tiered JIT has compiled the hot paths (with 50,
            // the first round's runs spent ~40 % of their CPU in the JIT). P2 is about concurrency, not code speed.
            Warmup: 1_000,
            P2Warmup: 100,
            Rounds: 2,
            // Only the full benchmark replaces the checked-in results; a partial one prints.
            OutputPath: mode == "runs" ? Path.Combine(RepositoryRoot(), "bench", "results", "runs.md") : "-");
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--noop" => options with { NoOpJobs = Bounded(name, value, 1_000_000) },
                "--runs" => options with { P1Runs = Bounded(name, value, 1_000_000) },
                "--workers" => options with { P1Workers = Bounded(name, value, 200) },
                "--p2-runs" => options with { P2Runs = Bounded(name, value, 1_000_000) },
                "--p2-workers" => options with { P2Workers = Bounded(name, value, 200) },
                "--poll-ms" => options with { QueuePollInterval = TimeSpan.FromMilliseconds(Math.Max(100, Bounded(name, value, 60_000))) },
                "--producers" => options with { Producers = Bounded(name, value, 64) },
                "--delay-ms" => options with { ModelDelay = TimeSpan.FromMilliseconds(Bounded(name, value, 60_000)) },
                "--warmup" => options with { Warmup = Bounded(name, value, 100_000) },
                "--p2-warmup" => options with { P2Warmup = Bounded(name, value, 100_000) },
                "--rounds" => options with { Rounds = Bounded(name, value, 20) },
                "--out" => options with { OutputPath = value },
                _ => throw new FormatException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static CrashBenchmarkOptions ParseCrash(ReadOnlySpan<string> args)
    {
        var root = RepositoryRoot();
        var options = new CrashBenchmarkOptions(root, Kills: 10, Clients: 4, MinUptime: TimeSpan.FromSeconds(2), MaxUptime: TimeSpan.FromSeconds(6),
            SettleTimeout: TimeSpan.FromMinutes(5), Seed: 42, Build: true, OutputPath: Path.Combine(root, "bench", "results", "reliability.md"));
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-build")
            {
                options = options with { Build = false };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--kills" => options with { Kills = Bounded(name, value, 1_000) },
                "--clients" => options with { Clients = Bounded(name, value, 64) },
                "--min-uptime" => options with { MinUptime = TimeSpan.FromSeconds(Bounded(name, value, 3_600)) },
                "--max-uptime" => options with { MaxUptime = TimeSpan.FromSeconds(Bounded(name, value, 3_600)) },
                "--settle-timeout" => options with { SettleTimeout = TimeSpan.FromSeconds(Bounded(name, value, 86_400)) },
                "--seed" => options with { Seed = Bounded(name, value, int.MaxValue) },
                "--runs" => options with { Runs = Bounded(name, value, 1_000_000) },
                "--fault-ratio" => options with { FaultRatio = Ratio(name, value) },
                "--out" => options with { OutputPath = value },
                _ => throw new FormatException($"Unknown option {name}."),
            };
        }

        return options.MaxUptime < options.MinUptime ? throw new FormatException("--max-uptime must be at least --min-uptime.") : options;
    }

    private static WebhookBenchmarkOptions ParseWebhooks(ReadOnlySpan<string> args)
    {
        var root = RepositoryRoot();
        var options = new WebhookBenchmarkOptions(root, Connections: 16, Duration: TimeSpan.FromSeconds(15), Warmup: TimeSpan.FromSeconds(5), Build: true,
            OutputPath: Path.Combine(root, "bench", "results", "triggers-p3.md"));
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-build")
            {
                options = options with { Build = false };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value.");
            }

            var value = args[++i];
            options = name switch
            {
                "--connections" => options with { Connections = Bounded(name, value, 1_024) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Bounded(name, value, 3_600)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Bounded(name, value, 600)) },
                "--out" => options with { OutputPath = value },
                _ => throw new FormatException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static double Ratio(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
            ? r
            : throw new FormatException($"{name} must be a number from 0 to 1, not '{value}'.");

    private static int Bounded(string name, string value, int max) => (int)Math.Min(Positive(name, value), max);

    private static long Positive(string name, string value) =>
        long.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{name} must be a positive whole number, not '{value}'.");

    /// <summary>The folder with AgentConsole.sln above the working directory (or the build output); results go under it.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AgentConsole.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
