using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// One executor's hold on one run. Acquiring it gives the run a new <see cref="Run.LeaseId"/> (the fencing token);
/// every later write of the executor is conditional on it, and a heartbeat renews it while a model or tool call is
/// in flight. Once a write or a renewal finds another token, <see cref="Lost"/> fires and the executor stops.
/// </summary>
internal sealed partial class RunLease : IAsyncDisposable
{
    private readonly IDbContextFactory<AgentConsoleDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private ITimer? _heartbeat;
    private readonly Lock _gate = new();
    private Task _beat = Task.CompletedTask;
    private bool _renewing;
    private bool _beatAgain;

    private RunLease(IDbContextFactory<AgentConsoleDbContext> dbFactory, Guid runId, Guid id, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        (_dbFactory, RunId, Id, Duration, _time, _logger) = (dbFactory, runId, id, duration, time, logger);
    }

    public Guid RunId { get; }

    /// <summary>The fencing token this executor writes under.</summary>
    public Guid Id { get; }

    public TimeSpan Duration { get; }

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Fires when the lease is found lost: in-flight model and tool calls are abandoned.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Takes the run when it is queued or running and nobody holds an unexpired lease on it, in one conditional
    /// UPDATE; null when another executor has it or it is not executable.
    /// </summary>
    public static async Task<RunLease?> AcquireAsync(IDbContextFactory<AgentConsoleDbContext> dbFactory, AgentConsoleDbContext db, Guid runId,
        EngineInstance instance, TimeSpan duration, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var now = time.GetUtcNow();
        var claimed = await db.Runs
            .Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)
                && (r.LeaseOwner == null || r.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.LeaseOwner, instance.Id)
                .SetProperty(r => r.LeaseId, id)
                .SetProperty(r => r.LeaseExpiresAt, now + duration)
                .SetProperty(r => r.RecoveryEnqueuedAt, (DateTimeOffset?)null), ct);
        return claimed == 0 ? null : new RunLease(dbFactory, runId, id, duration, time, logger);
    }

    /// <summary>Renews the lease every third of its duration until disposed, so a long call never lets it lapse.</summary>
    public void StartHeartbeat()
    {
        var period = Duration / 3;
        _heartbeat ??= _time.CreateTimer(_ => Beat(), null, period, period);
    }

    public void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The execution is over; nothing is left to stop.
        }
    }

    private void Beat()
    {
        // One renewal at a time, so a slow database does not pile them up; a beat that arrives meanwhile is not
        // dropped but renews once more afterwards (dropping it left the lease a beat short, e.g. when the renewal had
        // written but not yet returned).
        lock (_gate)
        {
            if (IsLost)
            {
                return;
            }

            if (_renewing)
            {
                _beatAgain = true;
                return;
            }

            _renewing = true;
        }

        _beat = RenewAsync();
    }

    private async Task RenewAsync()
    {
        do
        {
            await RenewOnceAsync();
        }
        while (AnotherBeatArrived());
    }

    private bool AnotherBeatArrived()
    {
        lock (_gate)
        {
            _renewing = _beatAgain && !IsLost;
            _beatAgain = false;
            return _renewing;
        }
    }

    private async Task RenewOnceAsync()
    {
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync();
            var until = _time.GetUtcNow() + Duration;
            var renewed = await db.Runs.Where(r => r.Id == RunId && r.LeaseId == Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until));
            if (renewed == 0)
            {
                LogLeaseLost(_logger, RunId);
                MarkLost();
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // A busy or failing database: the lease still has two more beats before it lapses.
            LogRenewalFailed(_logger, RunId, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync();
        }

        await _beat;
        _lost.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the heartbeat found the lease taken over; this executor stops")]
    private static partial void LogLeaseLost(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the lease could not be renewed this time")]
    private static partial void LogRenewalFailed(ILogger logger, Guid runId, Exception exception);
}
