using System.Collections.Concurrent;
using System.Diagnostics;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Benchmarks.Runs;

internal enum Workload
{
    /// <summary>Bare Hangfire: <see cref="NoOpJob"/>s.</summary>
    NoOp,

    /// <summary>Demo runs through <c>AgentRuns.StartAsync</c>, model in process (Offline) or behind HTTP.</summary>
    DemoRuns,
}

/// <summary>What one measurement saw. Times are from the first enqueue.</summary>
internal sealed record Measurement(
    string Name,
    Workload Workload,
    EngineSettings Settings,
    int Count,
    int Producers,
    TimeSpan Enqueued,
    TimeSpan Completed,
    TimeSpan JobsSucceeded,
    TimeSpan? AuditSealed,
    bool TimedOut,
    int Succeeded,
    IReadOnlyDictionary<string, int> Other,
    int StartFailures,
    int HangfireSucceeded,
    int HangfireFailed,
    int PeakRunning,
    int PeakModelCalls,
    int ModelCalls,
    long PeakWorkingSet,
    long PeakGcHeap,
    TimeSpan CpuTime,
    long AuditEvents,
    bool? AuditChainOk,
    string LoadStart,
    string LoadEnd)
{
    public double Rate => Count / Completed.TotalSeconds;
    public bool AllSucceeded => !TimedOut && Succeeded == Count && StartFailures == 0 && HangfireFailed == 0;
}

/// <summary>
/// Follows runs through <see cref="RunNotifications"/>: how many are Running at once and when the last one
/// reached a final state. A run's updates come from the one job executing it, so they arrive in order, except
/// that the starter's "Queued" may arrive after the job already reported "Running".
/// </summary>
internal sealed class RunTracker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, RunStatus> _status = [];
    private readonly ConcurrentDictionary<RunStatus, int> _final = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _expected;
    private int _running;
    private int _finished;

    public RunTracker(int expected) => _expected = expected;

    public int PeakRunning { get; private set; }

    public long LastFinishedAt { get; private set; }

    public Task Done => _done.Task;

    public int Finished
    {
        get
        {
            lock (_gate)
            {
                return _finished;
            }
        }
    }

    public IReadOnlyDictionary<RunStatus, int> Final => _final;

    public void OnUpdated(RunUpdated update)
    {
        lock (_gate)
        {
            var known = _status.TryGetValue(update.RunId, out var previous);
            if (known && (IsFinal(previous) || update.Status == RunStatus.Queued))
            {
                return;
            }

            _status[update.RunId] = update.Status;
            var wasRunning = known && previous == RunStatus.Running;
            if (update.Status == RunStatus.Running && !wasRunning)
            {
                PeakRunning = Math.Max(PeakRunning, ++_running);
            }
            else if (update.Status != RunStatus.Running && wasRunning)
            {
                _running--;
            }

            if (IsFinal(update.Status))
            {
                _final.AddOrUpdate(update.Status, 1, (_, n) => n + 1);
                LastFinishedAt = Stopwatch.GetTimestamp();
                if (++_finished >= _expected)
                {
                    _done.TrySetResult();
                }
            }
        }
    }

    // WaitingForHuman counts as final here: the run stopped for a person and will not finish within the measurement.
    private static bool IsFinal(RunStatus status) => status is not (RunStatus.Queued or RunStatus.Running);
}

/// <summary>Samples the process's working set and GC heap while a measurement runs.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemorySampler() => _loop = LoopAsync();

    public long PeakWorkingSet { get; private set; }

    public long PeakGcHeap { get; private set; }

    private async Task LoopAsync()
    {
        using var process = Process.GetCurrentProcess();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                process.Refresh();
                PeakWorkingSet = Math.Max(PeakWorkingSet, process.WorkingSet64);
                PeakGcHeap = Math.Max(PeakGcHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped at the end of the measurement.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
