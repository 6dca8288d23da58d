namespace AgentConsole.Engine.Runs;

/// <summary>Something about a run changed: a step, its totals or its status.</summary>
public sealed record RunUpdated(Guid RunId, string AgentKey, RunStatus Status);

/// <summary>
/// In-process change feed for live views (runs list, run detail). Subscribers must not block: handlers run on the
/// executor's thread, so a page only schedules a refresh.
/// </summary>
public sealed class RunNotifications
{
    public event Action<RunUpdated>? Updated;

    public void Publish(RunUpdated update)
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
