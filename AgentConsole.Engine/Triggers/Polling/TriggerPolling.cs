using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Triggers.Polling;

/// <summary>
/// Runs the pollers: finds the enabled polling triggers that are due (last check + interval), polls each one at most
/// once at a time, and records the outcome through <see cref="TriggerCatalog.RecordCheckAsync"/> — healthy with the new
/// cursor, or unhealthy with the error (audited on the first failure) and the cursor reached before it. A failing
/// poller never throws out of here, so one broken inbox cannot stop the others.
/// </summary>
public sealed partial class TriggerPolling(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    IEnumerable<ITriggerPoller> pollers,
    TriggerCatalog catalog,
    TimeProvider time,
    ILogger<TriggerPolling> logger)
{
    private readonly Dictionary<TriggerKind, ITriggerPoller> _pollers = pollers.ToDictionary(p => p.Kind);

    // Within one process a trigger polled by the recurring job and by a person's "check now" must not overlap
    // (a mailbox would be read twice); across instances the job's DisableConcurrentExecution does the same.
    private readonly ConcurrentDictionary<Guid, byte> _running = new();

    public IReadOnlyCollection<TriggerKind> Kinds => _pollers.Keys;

    /// <summary>Polls every enabled polling trigger whose interval has passed since its last check; returns how many were polled.</summary>
    public async Task<int> PollDueAsync(CancellationToken ct)
    {
        var kinds = _pollers.Keys.ToList();
        List<Trigger> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            candidates = await db.Triggers.AsNoTracking().Where(t => t.Enabled && kinds.Contains(t.Kind)).ToListAsync(ct);
        }

        var now = time.GetUtcNow();
        var polled = 0;
        foreach (var trigger in candidates.OrderBy(t => t.LastCheckedAt ?? DateTimeOffset.MinValue))
        {
            var entry = Entry(trigger);
            if (trigger.LastCheckedAt is { } last && last + _pollers[trigger.Kind].Interval(entry) > now)
            {
                continue;
            }

            await PollAsync(entry, ct);
            polled++;
        }

        return polled;
    }

    /// <summary>Polls one trigger now (tests, "check now"); skipped when it is disabled, not a polling kind, or already being polled.</summary>
    public async Task<TriggerPollResult> PollAsync(Guid triggerId, CancellationToken ct)
    {
        Trigger? trigger;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            trigger = await db.Triggers.AsNoTracking().SingleOrDefaultAsync(t => t.Id == triggerId, ct);
        }

        return trigger is { Enabled: true } && _pollers.ContainsKey(trigger.Kind) ? await PollAsync(Entry(trigger), ct) : TriggerPollResult.Skipped;
    }

    private TriggerEntry Entry(Trigger trigger) =>
        new(trigger, JsonNode.Parse(trigger.SettingsJson) as JsonObject ?? [], catalog.SecretsOf(trigger));

    private async Task<TriggerPollResult> PollAsync(TriggerEntry entry, CancellationToken ct)
    {
        var trigger = entry.Trigger;
        if (!_running.TryAdd(trigger.Id, 0))
        {
            return TriggerPollResult.Skipped;
        }

        var poll = new TriggerPoll(entry);
        try
        {
            await _pollers[trigger.Kind].PollAsync(poll, ct);
            await catalog.RecordCheckAsync(trigger.Id, null, poll.Cursor, setCursor: true, ct);
            return new TriggerPollResult(poll.Received, poll.Cursor, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await RecordSafelyAsync(poll, "The poll was stopped because the application is shutting down; it runs again on the next check.");
            throw;
        }
        catch (Exception ex)
        {
            var error = Describe(ex);
            LogPollFailed(logger, ex, trigger.Key, error);
            await RecordSafelyAsync(poll, error);
            return new TriggerPollResult(poll.Received, poll.Cursor, error);
        }
        finally
        {
            _running.TryRemove(trigger.Id, out _);
        }
    }

    private async Task RecordSafelyAsync(TriggerPoll poll, string error)
    {
        try
        {
            // The events received before the failure are in the inbox: keep the cursor they reached.
            await catalog.RecordCheckAsync(poll.Trigger.Id, error, poll.Cursor, poll.CursorMoved, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogRecordFailed(logger, ex, poll.Trigger.Key);
        }
    }

    /// <summary>The message people see on the trigger page: the exception's own, with its inner cause when that says more.</summary>
    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        if (ex.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message = $"{message} ({inner.Message})";
        }

        return $"{ex.GetType().Name}: {message}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling trigger {Key} failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string key, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the health of trigger {Key}")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string key);
}
