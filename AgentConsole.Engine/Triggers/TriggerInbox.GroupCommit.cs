using System.Threading.Channels;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// Group commit: events arriving together (a busy webhook, several pollers) are written by one writer in one
/// transaction, and each caller's task completes only after that transaction committed — so a 2xx still follows
/// persistence, but SQLite pays one commit and one de-duplication query per batch instead of per event (the P3
/// benchmark). A batch that cannot be written together (a key another instance took meanwhile) falls back to one
/// event at a time, so one bad event never fails the others.
/// </summary>
public sealed partial class TriggerInbox
{
    /// <summary>Most events written in one transaction; more wait for the next one.</summary>
    public const int MaxGroupCommit = 256;

    private readonly Channel<PendingIntake> _queue = Channel.CreateUnbounded<PendingIntake>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _writerGate = new();
    private Task? _writer;

    /// <summary>
    /// Persists an event of an enabled trigger (callers refuse disabled ones first) and wakes the processor; returns once
    /// the row is committed. A duplicate within the trigger's window returns the original event's id instead.
    /// </summary>
    public async Task<TriggerReceipt> ReceiveAsync(Trigger trigger, TriggerIntake intake, CancellationToken ct = default)
    {
        var pending = new PendingIntake(trigger, intake, DedupKey(trigger, intake), new TaskCompletionSource<TriggerReceipt>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        EnsureWriter();
        // A caller that gives up still leaves its event to be stored: it never got a 2xx, so a retry is a duplicate at worst.
        var receipt = await pending.Completion.Task.WaitAsync(ct);
        telemetry.TriggerEventReceived(trigger.Key, receipt.Duplicate ? "duplicate" : "received");
        return receipt;
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private void EnsureWriter()
    {
        if (_writer is not null)
        {
            return;
        }

        lock (_writerGate)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingIntake>(MaxGroupCommit);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxGroupCommit && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                if (batch.Count == 1)
                {
                    await WriteOneAsync(batch[0]);
                }
                else if (!await TryInsertAllAsync(batch))
                {
                    await WriteBatchAsync(batch);
                }
            }
            catch (Exception ex)
            {
                LogBatchFailed(logger, ex, batch.Count);
                foreach (var item in batch)
                {
                    await WriteOneAsync(item);
                }
            }

            batch.Clear();
        }
    }

    private async Task WriteOneAsync(PendingIntake item)
    {
        try
        {
            item.Completion.TrySetResult(await ReceiveOneAsync(item.Trigger, item.Intake, item.DedupKey, CancellationToken.None));
        }
        catch (Exception ex)
        {
            item.Completion.TrySetException(ex);
        }
    }

    /// <summary>
    /// The common case first: no event of the batch repeats a key, so all are inserted without looking keys up — the
    /// unique index on (trigger, key) is the check. False (nothing written) when a key is taken; the caller then
    /// resolves duplicates with <see cref="WriteBatchAsync"/>.
    /// </summary>
    private async Task<bool> TryInsertAllAsync(List<PendingIntake> batch)
    {
        var keys = new HashSet<(Guid, string)>();
        foreach (var item in batch)
        {
            if (item.DedupKey is { } key && !keys.Add((item.Trigger.Id, key)))
            {
                return false;
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var now = time.GetUtcNow();
        var receipts = new TriggerReceipt[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            var evt = ReceivedEvent(item.Trigger, item.Intake, item.DedupKey, now);
            db.TriggerEvents.Add(evt);
            receipts[i] = new TriggerReceipt(evt.Id, Duplicate: false);
        }

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException) when (keys.Count > 0)
        {
            return false;
        }

        signal.Notify();
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(receipts[i]);
        }

        return true;
    }

    private async Task WriteBatchAsync(List<PendingIntake> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = time.GetUtcNow();
        var seen = await OriginalsAsync(db, batch);
        var receipts = new TriggerReceipt[batch.Count];
        var expired = new List<Guid>();
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            if (item.DedupKey is { } key && seen.TryGetValue((item.Trigger.Id, key), out var original))
            {
                if (original.ReceivedAt > now - TimeSpan.FromMinutes(item.Trigger.DedupWindowMinutes))
                {
                    db.TriggerEvents.Add(DuplicateEvent(item.Trigger, item.Intake, original.Id, original.ReceivedAt, now));
                    receipts[i] = new TriggerReceipt(original.Id, Duplicate: true);
                    continue;
                }

                // Seen before the window: the key is freed for this event.
                expired.Add(original.Id);
            }

            var evt = ReceivedEvent(item.Trigger, item.Intake, item.DedupKey, now);
            db.TriggerEvents.Add(evt);
            if (item.DedupKey is { } taken)
            {
                // A later event of this batch with the same key is a duplicate of this one.
                seen[(item.Trigger.Id, taken)] = (evt.Id, now);
            }

            receipts[i] = new TriggerReceipt(evt.Id, Duplicate: false);
        }

        if (expired.Count > 0)
        {
            await db.TriggerEvents.Where(e => expired.Contains(e.Id)).ExecuteUpdateAsync(s => s.SetProperty(e => e.DedupKey, (string?)null));
        }

        await db.SaveChangesAsync();
        signal.Notify();
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(receipts[i]);
        }
    }

    /// <summary>The events already holding one of the batch's de-duplication keys, by trigger and key: one query per batch.</summary>
    private static async Task<Dictionary<(Guid TriggerId, string Key), (Guid Id, DateTimeOffset ReceivedAt)>> OriginalsAsync(AgentConsoleDbContext db, List<PendingIntake> batch)
    {
        var seen = new Dictionary<(Guid, string), (Guid, DateTimeOffset)>();
        var keys = batch.Where(p => p.DedupKey is not null).Select(p => p.DedupKey!).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return seen;
        }

        var triggerIds = batch.Select(p => p.Trigger.Id).Distinct().ToList();
        var rows = await db.TriggerEvents.AsNoTracking()
            .Where(e => triggerIds.Contains(e.TriggerId) && e.DedupKey != null && keys.Contains(e.DedupKey))
            .Select(e => new { e.Id, e.TriggerId, e.DedupKey, e.ReceivedAt })
            .ToListAsync();
        foreach (var row in rows)
        {
            seen[(row.TriggerId, row.DedupKey!)] = (row.Id, row.ReceivedAt);
        }

        return seen;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} trigger events could not be written together; writing them one at a time")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed record PendingIntake(Trigger Trigger, TriggerIntake Intake, string? DedupKey, TaskCompletionSource<TriggerReceipt> Completion);
}
