using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Benchmarks.Reporting;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Benchmarks.Runs;

/// <summary>
/// The engine's own cost per demo run without Hangfire: runs are started through <see cref="AgentRuns"/> with no
/// Hangfire server in the host, then executed one after another on this thread by <see cref="RunExecutor"/>, so the
/// process CPU per run is the engine's alone (plus the background audit sealer). A profiling aid, not a result:
/// attach <c>dotnet-trace</c> to the process while it runs.
/// </summary>
internal sealed class RunsProfile(int runs, int warmup, TextWriter progress)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<string> RunAsync(CancellationToken ct)
    {
        await using var engine = await BenchEngine.StartAsync(new EngineSettings(1, TimeSpan.FromSeconds(1), RunServer: false), ct);
        await MeasureAsync(engine, warmup, ct);
        progress.WriteLine($"warm-up done ({warmup} runs), pid {Environment.ProcessId}, load {MachineInfo.LoadAverage()}");
        var (start, execute, wall) = await MeasureAsync(engine, runs, ct);
        var sealedOk = await engine.Get<AuditChain>().VerifyAsync(ct);
        await using var db = await engine.Get<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync(ct);
        var succeeded = await db.Runs.CountAsync(r => r.Status == RunStatus.Succeeded, ct);
        return string.Create(Inv,
            $"{runs} runs executed directly: start {start.TotalMilliseconds / runs:N2} ms CPU/run, execute {execute.TotalMilliseconds / runs:N2} ms CPU/run, " +
            $"{runs / wall.TotalSeconds:N1} runs/s on one thread; {succeeded}/{runs + warmup} succeeded, audit chain {(sealedOk.Ok ? "verifies" : "BROKEN")}, load {MachineInfo.LoadAverage()}\n");
    }

    private async Task<(TimeSpan StartCpu, TimeSpan ExecuteCpu, TimeSpan Wall)> MeasureAsync(BenchEngine engine, int count, CancellationToken ct)
    {
        var starter = engine.Get<AgentRuns>();
        var executor = engine.Get<RunExecutor>();
        using var process = Process.GetCurrentProcess();
        var ids = new List<Guid>(count);
        var cpu0 = process.TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            var result = await starter.StartAsync(DemoWorkspace.LeadRouterKey, RunsBenchmark.Lead(i), "bench@agentconsole.local", ct: ct);
            ids.Add(result.RunId ?? throw new InvalidOperationException(result.Message));
        }

        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        progress.WriteLine($"executing {count} runs");
        var started = Stopwatch.GetTimestamp();
        foreach (var id in ids)
        {
            await executor.ExecuteAsync(id, ct);
        }

        var wall = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        return (cpu1 - cpu0, process.TotalProcessorTime - cpu1, wall);
    }
}
