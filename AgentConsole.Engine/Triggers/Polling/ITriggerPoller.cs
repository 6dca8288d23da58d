namespace AgentConsole.Engine.Triggers.Polling;

/// <summary>
/// A kind whose events are fetched rather than pushed (an IMAP folder, a database query, the sandbox CRM's status
/// history). <see cref="TriggerPolling"/> decides when a trigger is due, makes sure one trigger is never polled twice
/// at once, and records health and the cursor; the poller only fetches, hands events to the inbox and moves the cursor.
/// </summary>
public interface ITriggerPoller
{
    TriggerKind Kind { get; }

    /// <summary>How long after its last check the trigger is polled again.</summary>
    TimeSpan Interval(TriggerEntry entry);

    /// <summary>
    /// Fetches what is new since <see cref="TriggerPoll.Cursor"/>, receives each event through the inbox and moves the
    /// cursor after each received event. Throws on failure (unreachable server, bad credentials, failing query): the
    /// cursor reached so far is kept and the trigger is marked unhealthy with the exception's message.
    /// </summary>
    Task PollAsync(TriggerPoll poll, CancellationToken ct);
}
