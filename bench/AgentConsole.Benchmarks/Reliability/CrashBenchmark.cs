using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentConsole.Benchmarks.Reporting;
using Microsoft.Data.Sqlite;

namespace AgentConsole.Benchmarks.Reliability;

/// <summary>
/// The app as an operator runs it, killed with SIGKILL while clients post runs: it is started on a temp data folder
/// on a loopback port with a bootstrap API key, killed at random moments and restarted on the same data, again and
/// again. Then every accepted run (202) must settle, no tool call may have run twice, and the audit chain must verify.
/// Figures: runs accepted, kills, and how long the runs left unsettled by the last kill took to settle after it.
/// </summary>
internal sealed class CrashBenchmark(CrashBenchmarkOptions options, TextWriter progress)
{
    private static readonly string[] Settled = ["Succeeded", "Failed", "Cancelled", "WaitingForHuman", "StoppedByLimit"];

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _accepted = new();
    private readonly string _apiKey = "crash-bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    private int _rejected;
    private int _unanswered;

    public async Task<string> RunAsync(CancellationToken ct)
    {
        var dll = Path.Combine(options.RepositoryRoot, "AgentConsole", "bin", "Release", "net10.0", "AgentConsole.dll");
        if (options.Build)
        {
            progress.WriteLine("Building the app (Release)...");
            await RunToEndAsync("dotnet", ["build", Path.Combine(options.RepositoryRoot, "AgentConsole", "AgentConsole.csproj"), "-c", "Release", "-v", "q", "-nologo"], ct);
        }

        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} does not exist: build the app (Release) first, or drop --no-build.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "agentconsole-crash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        var random = new Random(options.Seed);
        var started = Stopwatch.StartNew();
        var readyTimes = new List<double>();
        var log = Path.Combine(folder, "app.log");
        AppProcess? app = null;
        try
        {
            app = AppProcess.Start(dll, folder, baseAddress, _apiKey, log, options.FaultRatio);
            readyTimes.Add(await WaitReadyAsync(http, app, ct));

            using var stopPosting = new CancellationTokenSource();
            var clients = Enumerable.Range(0, options.Clients)
                .Select(i => Task.Run(() => PostLoopAsync(http, new Random(options.Seed * 31 + i), stopPosting.Token), CancellationToken.None))
                .ToArray();

            var unsettledAtLastKill = Array.Empty<Guid>();
            for (var kill = 1; kill <= options.Kills; kill++)
            {
                var uptime = options.MinUptime + (options.MaxUptime - options.MinUptime) * random.NextDouble();
                if (kill == options.Kills && options.Runs is not null)
                {
                    // With a run count, every run is posted (across the earlier kills) before the last kill.
                    await Task.WhenAll(clients).WaitAsync(ct);
                }

                await Task.Delay(uptime, ct);
                app.Kill();
                if (kill == options.Kills)
                {
                    // The last cycle: nothing more is posted, and what is unsettled now is what recovery must settle.
                    await stopPosting.CancelAsync();
                    await Task.WhenAll(clients);
                    unsettledAtLastKill = [.. Unsettled(folder)];
                }

                progress.WriteLine($"kill {kill}/{options.Kills} after {uptime.TotalSeconds:0.0} s: {_accepted.Count} runs accepted so far");
                app.Dispose();
                app = AppProcess.Start(dll, folder, baseAddress, _apiKey, log, options.FaultRatio);
                if (kill == options.Kills)
                {
                    break;
                }

                readyTimes.Add(await WaitReadyAsync(http, app, ct));
            }

            var restartedAt = Stopwatch.StartNew();
            var lastReady = await WaitReadyAsync(http, app, ct);
            readyTimes.Add(lastReady);
            var settleTimes = await WaitSettledAsync(folder, unsettledAtLastKill, restartedAt, ct);
            var checks = await CheckAsync(http, folder, ct);
            return Report(unsettledAtLastKill.Length, settleTimes, lastReady, readyTimes, checks, started.Elapsed);
        }
        finally
        {
            app?.Dispose();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                progress.WriteLine($"Could not delete {folder}.");
            }
        }
    }

    private async Task PostLoopAsync(HttpClient http, Random random, CancellationToken stop)
    {
        var number = 0;
        while (!stop.IsCancellationRequested)
        {
            if (options.Runs is { } target && _accepted.Count >= target)
            {
                // Enough runs posted; the kills go on while they execute and settle.
                return;
            }

            number++;
            var (employees, industry) = random.Next(10) switch
            {
                < 6 => (random.Next(11, 200), "Software"),
                < 8 => (random.Next(1, 9), "Retail"),
                _ => (random.Next(1000, 5000), "Banking"),
            };
            var company = $"Company {random.Next(100_000)}";
            var body = JsonSerializer.Serialize(new
            {
                input = new { name = "Dana Lee", email = $"dana{number}@lead{random.Next(1000)}.example", company, employees, industry },
            });
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("api/v1/agents/lead-router/runs", content, stop);
                if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location
                    && Guid.TryParse(location.OriginalString.Split('/')[^1], out var id))
                {
                    _accepted[id] = DateTimeOffset.UtcNow;
                }
                else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref _rejected);
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait, stop);
                }
                else
                {
                    Interlocked.Increment(ref _rejected);
                    await Task.Delay(100, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The app is down (killed, or still starting): the request was not accepted; try again shortly.
                Interlocked.Increment(ref _unanswered);
                try
                {
                    await Task.Delay(100, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    internal static async Task<double> WaitReadyAsync(HttpClient http, AppProcess app, CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {app.ExitCode} while starting; see {app.LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync("healthz", ct);
                if (response.IsSuccessStatusCode)
                {
                    return app.SinceStart.TotalSeconds;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, ct);
        }

        throw new TimeoutException($"The app did not answer /healthz within 120 s; see {app.LogPath}.");
    }

    private async Task<List<double>> WaitSettledAsync(string folder, Guid[] waiting, Stopwatch sinceRestart, CancellationToken ct)
    {
        var times = new List<double>();
        var left = new HashSet<Guid>(waiting);
        while (left.Count > 0 && sinceRestart.Elapsed < options.SettleTimeout)
        {
            var unsettled = Unsettled(folder).ToHashSet();
            foreach (var id in left.Where(id => !unsettled.Contains(id)).ToList())
            {
                times.Add(sinceRestart.Elapsed.TotalSeconds);
                left.Remove(id);
            }

            if (left.Count > 0)
            {
                await Task.Delay(100, ct);
            }
        }

        progress.WriteLine(left.Count == 0
            ? $"All {waiting.Length} runs unsettled at the last kill settled within {sinceRestart.Elapsed.TotalSeconds:0.0} s of the restart."
            : $"{left.Count} run(s) still unsettled after {options.SettleTimeout.TotalSeconds:0} s.");
        // Also the accepted runs that were settled before the last kill (and runs the database has but no client
        // saw accepted): everything must be settled now.
        var allAccepted = _accepted.Keys.ToList();
        var stillUnsettled = Unsettled(folder).Count(id => _accepted.ContainsKey(id));
        progress.WriteLine($"{allAccepted.Count} accepted, {stillUnsettled} of them unsettled.");
        return times;
    }

    /// <summary>Accepted runs (and any other run) that are not settled, straight from the database.</summary>
    private static List<Guid> Unsettled(string folder)
    {
        using var db = Open(folder);
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT Id FROM Runs WHERE Status NOT IN ({string.Join(", ", Settled.Select(s => $"'{s}'"))})";
        var ids = new List<Guid>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    private async Task<CrashChecks> CheckAsync(HttpClient http, string folder, CancellationToken ct)
    {
        using var db = Open(folder);
        var statuses = new Dictionary<string, int>();
        var missing = 0;
        var unsettled = 0;
        var known = new Dictionary<Guid, string>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT Id, Status FROM Runs";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                known[Guid.Parse(reader.GetString(0))] = reader.GetString(1);
            }
        }

        foreach (var id in _accepted.Keys)
        {
            if (!known.TryGetValue(id, out var status))
            {
                missing++;
                continue;
            }

            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (!Settled.Contains(status))
            {
                unsettled++;
            }
        }

        var unacceptedInDb = known.Keys.Count(id => !_accepted.ContainsKey(id));
        var unacceptedUnsettled = known.Count(r => !_accepted.ContainsKey(r.Key) && !Settled.Contains(r.Value));
        // A call id journaled twice (the unique index forbids it) or a tool the demo agent calls once appearing twice
        // in a run (a repeated call gets a new id from a model asked again) would mean a tool ran twice.
        var duplicateCallIds = Scalar(db, "SELECT COUNT(*) FROM (SELECT RunId, CallId FROM RunSteps WHERE CallId IS NOT NULL GROUP BY RunId, CallId HAVING COUNT(*) > 1)");
        var repeatedTools = Scalar(db, "SELECT COUNT(*) FROM (SELECT RunId, ToolName FROM RunSteps WHERE Kind = 'ToolCall' GROUP BY RunId, ToolName HAVING COUNT(*) > 1)");
        var inFlight = Scalar(db, "SELECT COUNT(*) FROM RunSteps WHERE InFlight = 1");
        var interrupted = Scalar(db, "SELECT COUNT(*) FROM RunSteps WHERE Kind = 'ToolCall' AND Title LIKE '% interrupted: outcome unknown%'");
        var toolCalls = Scalar(db, "SELECT COUNT(*) FROM RunSteps WHERE Kind = 'ToolCall' AND InFlight = 0 AND Title NOT LIKE '% interrupted: outcome unknown%'");
        // The run's counter, the journal and the audit trail are written in one transaction each time: they must agree.
        var counterMismatch = Scalar(db, """
            SELECT COUNT(*) FROM Runs r WHERE r.ToolCalls <> (SELECT COUNT(*) FROM RunSteps s WHERE s.RunId = r.Id AND s.Kind = 'ToolCall'
                AND s.InFlight = 0 AND s.Title NOT LIKE '% interrupted: outcome unknown%')
            """);
        var auditToolEvents = Scalar(db, "SELECT (SELECT COUNT(*) FROM AuditEvents WHERE Action IN ('tool.called', 'tool.failed', 'tool.refused')) + (SELECT COUNT(*) FROM AuditOutbox WHERE Action IN ('tool.called', 'tool.failed', 'tool.refused'))");
        var executions = Scalar(db, "SELECT COALESCE(MAX(Executions), 0) FROM Runs");
        var resumed = Scalar(db, "SELECT COUNT(*) FROM Runs WHERE Executions > 1");
        var interruptedEscalations = Scalar(db, "SELECT COUNT(*) FROM Escalations WHERE Kind = 'Interrupted'");
        var effects = SandboxEffects.Count(db);
        var failedRuns = Scalar(db, "SELECT COUNT(*) FROM Runs WHERE Status = 'Failed'");
        // A run that succeeded although one of its tool calls failed for good (transient past its retries, or permanent)
        // skipped that failure silently: the rule is retry, then escalate.
        var silent = Scalar(db, """
            SELECT COUNT(*) FROM Runs r WHERE r.Status = 'Succeeded' AND EXISTS (SELECT 1 FROM RunSteps s WHERE s.RunId = r.Id AND s.Kind = 'ToolCall'
                AND s.IsError = 1 AND json_extract(s.DetailJson, '$.failure') IN ('Transient', 'Permanent'))
            """);
        var retriedOk = Scalar(db, "SELECT COUNT(*) FROM RunSteps WHERE Kind = 'ToolCall' AND IsError = 0 AND InFlight = 0 AND json_extract(DetailJson, '$.attempts') > 1");
        var toolFailureEscalations = Scalar(db, "SELECT COUNT(*) FROM Escalations WHERE Kind = 'ToolFailure'");
        var failedAttempts = Scalar(db, "SELECT (SELECT COUNT(*) FROM AuditEvents WHERE Action = 'tool.attempt.failed') + (SELECT COUNT(*) FROM AuditOutbox WHERE Action = 'tool.attempt.failed')");
        var (auditOk, auditDetail) = await VerifyAuditAsync(http, ct);
        return new CrashChecks(statuses, missing, unsettled, unacceptedInDb, unacceptedUnsettled, duplicateCallIds, repeatedTools, inFlight, interrupted,
            toolCalls, counterMismatch, auditToolEvents, executions, resumed, interruptedEscalations, auditOk, auditDetail,
            effects, failedRuns, silent, retriedOk, toolFailureEscalations, failedAttempts, options.FaultRatio > 0);
    }

    /// <summary>Audit verification is a POST (Admins, throttled) in newer builds and was a GET before; both are tried.</summary>
    private static async Task<(bool Ok, string Detail)> VerifyAuditAsync(HttpClient http, CancellationToken ct)
    {
        // The sealer chains outbox rows within a second or so; give it time so the walk covers every event.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        using var post = await http.PostAsync("api/v1/audit/verify", null, ct);
        var response = post.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound
            ? await http.GetAsync("api/v1/audit/verify", ct)
            : post;
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            return (false, $"HTTP {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var ok = json.RootElement.TryGetProperty("ok", out var okValue) && okValue.GetBoolean();
        var events = json.RootElement.TryGetProperty("eventsChecked", out var n) ? n.GetInt64() : 0;
        return (ok, ok ? $"{events:N0} events, chain intact" : body);
    }

    private static long Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static SqliteConnection Open(string folder)
    {
        var db = new SqliteConnection($"Data Source={Path.Combine(folder, "data", "agentconsole.db")};Default Timeout=10;Pooling=False");
        db.Open();
        return db;
    }

    private string Report(int unsettledAtLastKill, List<double> settleTimes, double lastReady, List<double> readyTimes, CrashChecks checks, TimeSpan total)
    {
        settleTimes.Sort();
        var median = settleTimes.Count == 0 ? 0 : settleTimes[settleTimes.Count / 2];
        var max = settleTimes.Count == 0 ? 0 : settleTimes[^1];
        readyTimes.Sort();
        var ok = checks.Passed;
        var md = new StringBuilder();
        md.AppendLine("# Reliability: SIGKILL and restart while runs are posted");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores{MachineInfo.Cpu()}, load average {MachineInfo.LoadAverage()} at the end, {MachineInfo.Build()}.");
        var extra = (options.Runs is { } runs ? $" --runs {runs}" : "") + (options.FaultRatio > 0 ? string.Create(CultureInfo.InvariantCulture, $" --fault-ratio {options.FaultRatio}") : "");
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/AgentConsole.Benchmarks -- crash --kills {options.Kills} --clients {options.Clients} --min-uptime {options.MinUptime.TotalSeconds} --max-uptime {options.MaxUptime.TotalSeconds} --seed {options.Seed}{extra}`");
        md.AppendLine();
        md.AppendLine("The app (`AgentConsole.dll`, Release) runs on a temp data folder, listening on 127.0.0.1 only, with a bootstrap Admin API key;");
        md.AppendLine(CultureInfo.InvariantCulture, $"{options.Clients} clients post `lead-router` runs (Offline model; 60 % mid-market, 20 % SMB, 20 % enterprise, which a decision routes to a person)");
        md.AppendLine(CultureInfo.InvariantCulture, $"while the process is killed with SIGKILL after {options.MinUptime.TotalSeconds:0.#}–{options.MaxUptime.TotalSeconds:0.#} s of uptime (random) and restarted on the same data.");
        md.AppendLine(options.Runs is { } posted
            ? string.Create(CultureInfo.InvariantCulture, $"Clients stop once {posted:N0} runs were accepted; the last kill comes after that. Then")
            : "Posting stops at the last kill; then");
        md.AppendLine("the last process has to settle every run (Succeeded, Failed, Cancelled, or waiting for a person).");
        md.AppendLine(options.FaultRatio > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Faults: {options.FaultRatio:0.##} of all sandbox connector attempts fail as a 503 would (AgentConsole:Tools:SandboxFaultRatio); every run must end retried-ok or escalated.")
            : "No injected faults.");
        md.AppendLine();
        md.AppendLine("| measure | result |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| SIGKILL + restart cycles | **{options.Kills}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs accepted (202) | **{_accepted.Count:N0}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| posts not answered (app down) / refused | {_unanswered:N0} / {_rejected:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs unsettled at the last kill | {unsettledAtLastKill:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| time to settle after the last restart, median / max | **{median:0.0} s / {max:0.0} s** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| of which the process start until /healthz answers (last restart; median of all starts) | {lastReady:0.0} s ({readyTimes[readyTimes.Count / 2]:0.0} s) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| accepted runs settled | {(checks.Unsettled == 0 && checks.Missing == 0 ? "**all**" : $"**{checks.Unsettled + checks.Missing} not**")} ({string.Join(", ", checks.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value:N0}"))}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs in the database no client saw accepted (killed mid-response) / unsettled | {checks.UnacceptedInDb:N0} / {checks.UnacceptedUnsettled:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs resumed after a kill (executions > 1); most executions of one run | {checks.Resumed:N0}; {checks.MaxExecutions} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| tool calls performed or refused (journal) / audit tool events | {checks.ToolCalls:N0} / {checks.AuditToolEvents:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| call ids journaled twice; runs with a tool performed twice | **{checks.DuplicateCallIds}; {checks.RepeatedTools}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs whose tool counter disagrees with the journal | {checks.CounterMismatch} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| calls interrupted by a kill (outcome unknown, not repeated, escalated) / left in flight | {checks.Interrupted} ({checks.InterruptedEscalations} escalations) / {checks.InFlight} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| sandbox effects: without a journal entry / two for one entry | **{checks.Effects.WithoutJournal:N0} / {checks.Effects.Duplicates:N0}** ({checks.Effects.Describe()}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| injected sandbox fault ratio (per attempt) | {options.FaultRatio:0.##} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| failed attempts (audit tool.attempt.failed) / calls retried-ok / tool-failure escalations | {checks.FailedAttempts:N0} / {checks.RetriedOk:N0} / {checks.ToolFailureEscalations:N0} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs Failed; runs that succeeded past a failed tool call (silent) | **{checks.FailedRuns:N0}; {checks.SilentToolFailures:N0}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| audit chain | {(checks.AuditOk ? "**verifies**" : "**BROKEN**")}: {checks.AuditDetail} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| whole benchmark | {total.TotalSeconds:0} s |");
        md.AppendLine();
        md.AppendLine(ok ? "Result: **passed**." : "Result: **FAILED** (see the bold figures).");
        return md.ToString();
    }

    internal static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static async Task RunToEndAsync(string file, string[] arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }
    }
}
