using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgentConsole.Benchmarks.Reliability;
using AgentConsole.Benchmarks.Reporting;
using AgentConsole.Engine;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Triggers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Benchmarks.Webhooks;

/// <summary>
/// P3: webhook ingestion. The app runs as an operator runs it (Release build, its own process, SQLite files in a data
/// folder, loopback) with one HMAC webhook trigger on the demo lead router; a closed-loop C# load generator sends signed
/// requests for a fixed time. In the same run the baseline — bare Kestrel doing the same checks and one SQLite insert
/// per request — takes the same load. Afterwards the inbox must hold exactly one row per 2xx answer (0 lost).
/// </summary>
internal sealed class WebhookBenchmark(WebhookBenchmarkOptions options, TextWriter progress)
{
    // The passwords AppProcess gives the app, so the set-up host seeds the same installation the app then opens.
    private const string AdminPassword = "Crash-Bench-Admin-2026!";
    private const string DemoPassword = "Crash-Bench-Demo-2026!";

    public async Task<string> RunAsync(CancellationToken ct)
    {
        var dll = Path.Combine(options.RepositoryRoot, "AgentConsole", "bin", "Release", "net10.0", "AgentConsole.dll");
        if (options.Build)
        {
            progress.WriteLine("Building the app (Release)...");
            await CrashBenchmark.RunToEndAsync("dotnet", ["build", Path.Combine(options.RepositoryRoot, "AgentConsole", "AgentConsole.csproj"), "-c", "Release", "-v", "q", "-nologo"], ct);
        }

        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the app (Release) first, or drop --no-build.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-webhooks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var loadBefore = MachineInfo.LoadAverage();
            var baseline = await MeasureBaselineAsync(folder, ct);
            var (app, inboxRows) = await MeasureAppAsync(folder, dll, ct);
            return Report(app, inboxRows, baseline.Result, baseline.Rows, loadBefore);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A process may still hold a file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }

    private async Task<(LoadResult Result, long Rows)> MeasureAppAsync(string folder, string dll, CancellationToken ct)
    {
        var data = Path.Combine(folder, "app");
        Directory.CreateDirectory(data);
        var (key, secret) = await CreateTriggerAsync(data, ct);
        var port = CrashBenchmark.FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var apiKey = "webhook-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using var app = AppProcess.Start(dll, data, baseAddress, apiKey, Path.Combine(folder, "app.log"));
        using var http = new HttpClient { BaseAddress = baseAddress };
        await CrashBenchmark.WaitReadyAsync(http, app, ct);
        progress.WriteLine($"App: {options.Connections} connections, {options.Warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s...");
        var result = await WebhookLoad.RunAsync("AgentConsole `POST /hooks/{key}`", new Uri(baseAddress, $"hooks/{key}"), secret, options.Connections, options.Warmup, options.Duration, ct);
        var rows = CountInbox(Path.Combine(data, "data", "agentconsole.db"), key);
        return (result, rows);
    }

    private async Task<(LoadResult Result, long Rows)> MeasureBaselineAsync(string folder, CancellationToken ct)
    {
        var database = Path.Combine(folder, "baseline.db");
        var secret = TriggerSecrets.NewSigningSecret();
        var port = CrashBenchmark.FreeLoopbackPort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { typeof(WebhookBenchmark).Assembly.Location, BaselineServer.Mode, port.ToString(CultureInfo.InvariantCulture), database, secret })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the baseline.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                progress.WriteLine("baseline: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            using (var http = new HttpClient { BaseAddress = baseAddress })
            {
                await WaitBaselineAsync(http, process, ct);
            }

            progress.WriteLine($"Baseline: {options.Connections} connections, {options.Warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s...");
            var result = await WebhookLoad.RunAsync("Baseline: bare Kestrel + one SQLite insert", new Uri(baseAddress, "hooks/bench"), secret, options.Connections, options.Warmup, options.Duration, ct);
            return (result, BaselineServer.Count(database));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task WaitBaselineAsync(HttpClient http, Process process, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The baseline exited with code {process.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync("healthz", ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, ct);
        }

        throw new TimeoutException("The baseline did not answer /healthz within 30 s.");
    }

    /// <summary>
    /// Creates the webhook trigger before the app's first start, through the engine as the app wires it (same data folder,
    /// same Data Protection key ring and application name, so the app can decrypt the secret). Its filter lets no
    /// benchmark lead through: the processor still filters and audits every event while the load runs, but no runs start —
    /// executing runs is what P1 measures.
    /// </summary>
    private static async Task<(string Key, string Secret)> CreateTriggerAsync(string data, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = data, Args = [], EnvironmentName = "Development" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentConsole:Jobs:RunServer"] = "false",
            ["AgentConsole:Bootstrap:AdminPassword"] = AdminPassword,
            ["AgentConsole:Demo:UserPassword"] = DemoPassword,
        });
        builder.Services.AddSingleton(new FirstRunNotice(TextWriter.Null));
        builder.Services.AddDataProtection().SetApplicationName("AgentConsole")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(data, new StorageOptions().DataProtectionKeysPath)));
        builder.AddAgentEngine();
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            var filter = new TriggerFilter(FilterMatch.All, [new TriggerCondition("source", "\"website\"")]);
            var result = await host.Services.GetRequiredService<TriggerCatalog>().CreateAsync(DemoWorkspace.LeadRouterKey,
                new TriggerDraft("P3 benchmark", TriggerKind.Webhook, Filter: filter, Key: "p3-bench"), "bench", ct);
            return result.Outcome == TriggerCommandOutcome.Done
                ? (result.Trigger!.Key, result.Secret!)
                : throw new InvalidOperationException($"Could not create the benchmark trigger: {result.Message}");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static long CountInbox(string database, string key)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM TriggerEvents WHERE TriggerKey = $key AND Status NOT IN ('Rejected', 'Duplicate')";
        command.Parameters.AddWithValue("$key", key);
        return (long)command.ExecuteScalar()!;
    }

    private string Report(LoadResult app, long appRows, LoadResult baseline, long baselineRows, string loadBefore)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("# P3: webhook ingestion");
        md.AppendLine();
        md.AppendLine(c, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores{MachineInfo.Cpu()}, load average {loadBefore} before and {MachineInfo.LoadAverage()} after, {MachineInfo.Build()}.");
        md.AppendLine(c, $"Command: `dotnet run -c Release --project bench/AgentConsole.Benchmarks -- webhooks --connections {options.Connections} --duration {options.Duration.TotalSeconds:0} --warmup {options.Warmup.TotalSeconds:0}`");
        md.AppendLine();
        md.AppendLine(c, $"{options.Connections} concurrent keep-alive connections on loopback, each sending its next HMAC-signed request (a ~250-byte lead, a fresh signature each) as soon as the last was answered; {options.Warmup.TotalSeconds:0} s warm-up, then {options.Duration.TotalSeconds:0} s measured per target. The app runs as its own Release process on SQLite files; its trigger's filter drops the bench leads, so the inbox processor filters and audits every event during the load without starting runs. The baseline is bare Kestrel in its own process doing the same signature and JSON checks and one SQLite insert (WAL, synchronous=NORMAL) per request.");
        md.AppendLine();
        md.AppendLine("| target | accepted/s | p50 ms | p95 ms | p99 ms | max ms | errors | 2xx sent (incl. warm-up) | rows stored | lost |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (result, rows) in new[] { (app, appRows), (baseline, baselineRows) })
        {
            var errors = result.Errors == 0 ? "0" : $"{result.Errors} ({string.Join(", ", result.ErrorStatuses.OrderBy(e => e.Key).Select(e => $"{(e.Key == 0 ? "no answer" : e.Key.ToString(c))}: {e.Value}"))})";
            md.AppendLine(c, $"| {result.Target} | {result.AcceptedPerSecond:N0} | {result.Latency.Percentile(50):0.0} | {result.Latency.Percentile(95):0.0} | {result.Latency.Percentile(99):0.0} | {result.Latency.Max:0.0} | {errors} | {result.AcceptedIncludingWarmup:N0} | {rows:N0} | {result.AcceptedIncludingWarmup - rows:N0} |");
        }

        md.AppendLine();
        var goal = app.AcceptedPerSecond >= 2_000 && app.Latency.Percentile(99) < 50 && app.AcceptedIncludingWarmup == appRows;
        md.AppendLine(c, $"App / baseline: {app.AcceptedPerSecond / baseline.AcceptedPerSecond:0.00}× the throughput, p99 {app.Latency.Percentile(99) / baseline.Latency.Percentile(99):0.00}× the baseline's. Goal (≥ 2,000 accepted/s, p99 < 50 ms, 0 lost): {(goal ? "met" : "**not met**")}.");
        return md.ToString();
    }
}
