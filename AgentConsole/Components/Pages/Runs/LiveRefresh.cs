namespace AgentConsole.Components.Pages.Runs;

/// <summary>
/// Turns a burst of run updates (a run saves after every step) into at most one reload per interval, run on the
/// component's dispatcher. Updates arrive on executor threads, so <see cref="Request"/> only schedules.
/// </summary>
internal sealed class LiveRefresh(
    TimeProvider clock,
    Func<Func<Task>, Task> dispatch,
    Func<CancellationToken, Task> reload,
    Action<Exception> failed) : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _disposed = new();
    private int _scheduled;
    private long _lastLoad;

    public CancellationToken Stopping => _disposed.Token;

    /// <summary>Call when the component loads on its own, so the next live reload waits a full interval.</summary>
    public void Loaded() => _lastLoad = clock.GetTimestamp();

    public void Request()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = dispatch(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            var wait = Interval - clock.GetElapsedTime(_lastLoad);
            if (wait > TimeSpan.Zero)
            {
                // Real time even under a fake clock: the clock only measures how long ago the last load was.
                await Task.Delay(wait, _disposed.Token);
            }

            // Cleared before loading: an update that lands during the load schedules one more reload.
            Volatile.Write(ref _scheduled, 0);
            _lastLoad = clock.GetTimestamp();
            await reload(_disposed.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _scheduled, 0);
            failed(ex);
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
