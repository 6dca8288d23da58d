using System.Collections.Concurrent;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Cancels runs executing in this process at once (an in-flight model call included). Runs on other instances see
/// the persisted cancel request before their next model or tool call.
/// </summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public Registration Register(Guid runId)
    {
        var source = new CancellationTokenSource();
        _running[runId] = source;
        return new Registration(this, runId, source);
    }

    public bool Cancel(Guid runId)
    {
        if (_running.TryGetValue(runId, out var source))
        {
            try
            {
                source.Cancel();
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        return false;
    }

    public sealed class Registration(RunCancellations owner, Guid runId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            owner._running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(runId, source));
            source.Dispose();
        }
    }
}
