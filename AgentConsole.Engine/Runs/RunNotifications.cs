using AgentConsole.Engine.Cluster;

namespace AgentConsole.Engine.Runs;

/// <summary>Something about a run changed: a step, its totals or its status.</summary>
public sealed record RunUpdated(Guid RunId, string AgentKey, RunStatus Status);

/// <summary>
/// Change feed for live views (runs list, run detail), on every instance: a run executing on one instance updates the
/// pages open on the others (through <see cref="ClusterSignals"/>). Subscribers must not block: handlers run on the
/// executor's thread (or the signal relay's), so a page only schedules a refresh.
/// </summary>
public sealed class RunNotifications
{
    private const string Topic = "runs";
    private readonly ClusterSignals _cluster;

    public RunNotifications(ClusterSignals cluster)
    {
        _cluster = cluster;
        cluster.Subscribe<RunUpdated>(Topic, Deliver);
    }

    public event Action<RunUpdated>? Updated;

    public void Publish(RunUpdated update)
    {
        Deliver(update);
        _cluster.Broadcast(Topic, update);
    }

    private void Deliver(RunUpdated update)
    {
        var handlers = Updated;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<RunUpdated>>())
        {
            try
            {
                handler(update);
            }
            catch (ObjectDisposedException)
            {
                // A page that went away between the event and its handler; nothing to tell it.
            }
        }
    }
}
