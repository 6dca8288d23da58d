using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Audit;

/// <summary>Seals committed outbox rows shortly after they are written, and at least every second as a fallback.</summary>
internal sealed partial class AuditSealer(AuditChain chain, AuditSignal signal, ILogger<AuditSealer> logger) : BackgroundService
{
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(1);

    // A busy engine commits audit rows hundreds of times a second (every run step), and sealing each commit on its
    // own paid a transaction, the chain heads and an FTS5 insert per commit. Waiting this long after a wake-up lets
    // the commits of that moment seal together; events still reach search well within a second.
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await chain.SealPendingAsync(stoppingToken);
                if (await signal.WaitAsync(Fallback, stoppingToken))
                {
                    await Task.Delay(Coalesce, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The rows stay in the outbox; the next pass retries them.
                LogSealFailed(logger, ex);
                await Task.Delay(Fallback, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Seal what is left so a clean shutdown leaves an empty outbox.
            await chain.SealPendingAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The host is being disposed without a clean stop; the rows stay in the outbox and are sealed at next start.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSealFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealing audit events failed; retrying")]
    private static partial void LogSealFailed(ILogger logger, Exception exception);
}

/// <summary>Wakes the sealer after any save that wrote audit outbox rows.</summary>
internal sealed class AuditOutboxInterceptor(AuditSignal signal) : SaveChangesInterceptor
{
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyIfAudited(eventData);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyIfAudited(eventData);
        return ValueTask.FromResult(result);
    }

    private void NotifyIfAudited(SaveChangesCompletedEventData eventData)
    {
        if (eventData.Context is AgentConsoleDbContext { AuditRecorded: true } db)
        {
            db.AuditRecorded = false;
            signal.Notify();
        }
    }
}

/// <summary>The daily Hangfire job: thin, and safe to run twice (a second run finds nothing expired).</summary>
public sealed class AuditRetentionJob(AuditChain chain)
{
    public const string RecurringId = "audit-retention";

    public Task RunAsync(CancellationToken ct) => chain.PurgeExpiredAsync(ct);
}
