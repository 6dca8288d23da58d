using System.Collections.Concurrent;
using AgentConsole.Engine.Cluster;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Cancels an executing run at once (an in-flight model call included), on whichever instance executes it: a cancel
/// for a run not executing here is passed to the other instances. Should that message be lost, the run still sees the
/// persisted cancel request before its next model or tool call.
/// </summary>
public sealed class RunCancellations
{
    private const string Topic = "run-cancel";
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();
    private readonly ClusterSignals _cluster;

    public RunCancellations(ClusterSignals cluster)
    {
        _cluster = cluster;
        cluster.Subscribe<Guid>(Topic, runId => CancelHere(runId));
    }

    public Registration Register(Guid runId)
    {
        var source = new CancellationTokenSource();
        _running[runId] = source;
        return new Registration(this, runId, source);
    }

    /// <summary>Cancels the run's execution; true when it was executing in this process.</summary>
    public bool Cancel(Guid runId)
    {
        if (CancelHere(runId))
        {
            return true;
        }

        _cluster.Broadcast(Topic, runId);
        return false;
    }

    private bool CancelHere(Guid runId)
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
