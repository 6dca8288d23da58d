using System.Globalization;
using AgentConsole.Benchmarks.Audit;

namespace AgentConsole.Benchmarks;

/// <summary>
/// Purpose-built benchmarks for AgentConsole. Each prints a Markdown table to stdout (progress goes to stderr)
/// and writes it under bench/results/.
/// <code>dotnet run -c Release --project bench/AgentConsole.Benchmarks -- audit [--events 1000000] [--batch 10000]
///     [--iterations 200] [--warmup 20] [--seed 42] [--out bench/results/audit.md] [--keep-db]</code>
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: audit [--events N] [--batch N] [--iterations N] [--warmup N] [--seed N] [--out PATH|-] [--keep-db]";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "audit")
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        AuditBenchmarkOptions options;
        try
        {
            options = ParseAudit(args.AsSpan(1));
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
            var report = await new AuditBenchmark(options, Console.Error).RunAsync(cancel.Token);
            await Console.Out.WriteAsync(report);
            if (options.OutputPath != "-")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!);
                await File.WriteAllTextAsync(options.OutputPath, report, CancellationToken.None);
                await Console.Error.WriteLineAsync($"Written to {Path.GetFullPath(options.OutputPath)}");
            }

            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
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
