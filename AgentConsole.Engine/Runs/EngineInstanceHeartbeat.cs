using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Keeps this instance's row alive (what tells other instances its leases are held by a live process) and, at
/// start-up, reclaims at once the runs a dead predecessor left, instead of waiting for their leases to lapse.
/// Started after the migrations, removed on a clean stop.
/// </summary>
internal sealed partial class EngineInstanceHeartbeat(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    EngineInstance instance,
    RunRecovery recovery,
    IOptions<RunOptions> options,
    TimeProvider time,
    ILogger<EngineInstanceHeartbeat> logger) : IHostedService, IAsyncDisposable
{
    private ITimer? _timer;
    private int _beating;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Earlier processes of this host are dead (one process per host name): their rows go, their leases with them.
            await db.Set<EngineInstanceRecord>().Where(i => i.Name == instance.Name && i.Id != instance.Id).ExecuteDeleteAsync(cancellationToken);
            db.Set<EngineInstanceRecord>().Add(new EngineInstanceRecord { Id = instance.Id, Name = instance.Name, StartedAt = now, LastSeenAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }

        var reclaimed = await recovery.RecoverAsync(startingUp: true, startedAt: now, ct: cancellationToken);
        LogStarted(logger, instance.Name, instance.Id, reclaimed);
        var period = options.Value.InstanceHeartbeatInterval;
        _timer = time.CreateTimer(_ => _ = BeatAsync(), null, period, period);
    }

    private async Task BeatAsync()
    {
        if (Interlocked.Exchange(ref _beating, 1) == 1)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var now = time.GetUtcNow();
            var updated = await db.Set<EngineInstanceRecord>().Where(i => i.Id == instance.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastSeenAt, now));
            if (updated == 0)
            {
                // Declared dead by a successor with this name (a misconfiguration: two processes share it). Beat on;
                // its leases were released and fenced, so nothing is done twice.
                db.Set<EngineInstanceRecord>().Add(new EngineInstanceRecord { Id = instance.Id, Name = instance.Name, StartedAt = now, LastSeenAt = now });
                await db.SaveChangesAsync();
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogBeatFailed(logger, ex);
        }
        finally
        {
            Volatile.Write(ref _beating, 0);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
            _timer = null;
        }

        try
        {
            // A clean stop: the next process (or another instance) may take this one's runs over at once.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Set<EngineInstanceRecord>().Where(i => i.Id == instance.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or OperationCanceledException)
        {
            LogBeatFailed(logger, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Engine instance {Name} ({Id}) started; {Reclaimed} stranded run(s) enqueued")]
    private static partial void LogStarted(ILogger logger, string name, string id, int reclaimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the engine instance's heartbeat")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
