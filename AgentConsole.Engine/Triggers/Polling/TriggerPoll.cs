namespace AgentConsole.Engine.Triggers.Polling;

/// <summary>One poll of one trigger: what the poller reads (the trigger, its settings and secrets) and what it moves (the cursor).</summary>
public sealed class TriggerPoll(TriggerEntry entry)
{
    public TriggerEntry Entry { get; } = entry;

    public Trigger Trigger => Entry.Trigger;

    /// <summary>The high-water mark: as stored when the poll began, then as far as the poller got.</summary>
    public string? Cursor { get; private set; } = entry.Trigger.Cursor;

    public bool CursorMoved { get; private set; }

    /// <summary>Events handed to the inbox in this poll (duplicates included).</summary>
    public int Received { get; private set; }

    public void MoveCursor(string? cursor)
    {
        CursorMoved |= !string.Equals(cursor, Cursor, StringComparison.Ordinal);
        Cursor = cursor;
    }

    public void Counted() => Received++;
}
