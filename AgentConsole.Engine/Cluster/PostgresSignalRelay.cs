using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentConsole.Engine.Cluster;

/// <summary>
/// Carries <see cref="ClusterSignals"/> between the instances of a PostgreSQL installation: one dedicated connection
/// LISTENs on <see cref="ClusterMessage.PostgresChannel"/> and hands each notification to the local subscribers; the
/// outbox is sent with <c>pg_notify</c> in batches on pooled connections. A lost connection is logged and reopened with
/// backoff for as long as the host runs; messages sent meanwhile are missed, which only delays a refresh.
/// </summary>
internal sealed partial class PostgresSignalRelay : BackgroundService
{
    private const int MaxBatch = 100;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly ClusterSignals _signals;
    private readonly NpgsqlDataSource _sender;
    private readonly string _listenConnection;
    private readonly ILogger<PostgresSignalRelay> _logger;
    private NpgsqlConnection? _listener;

    public PostgresSignalRelay(ClusterSignals signals, string connectionString, ILogger<PostgresSignalRelay> logger)
    {
        _signals = signals;
        _logger = logger;
        _sender = NpgsqlDataSource.Create(connectionString);
        // Its own physical connection, with TCP keepalives so a dead server is noticed while it only waits.
        _listenConnection = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15 }.ConnectionString;
    }

    /// <summary>Listens before the host reports started, so a message sent after start-up reaches this instance.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _listener = await ListenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogListenFailed(_logger, ex, 1);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ReceiveAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(_listenConnection);
        try
        {
            await connection.OpenAsync(ct);
            connection.Notification += (_, e) => Receive(e.Payload);
            await using var listen = new NpgsqlCommand($"LISTEN {ClusterMessage.PostgresChannel}", connection);
            await listen.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void Receive(string wire)
    {
        try
        {
            _signals.Deliver(wire);
        }
        catch (Exception ex)
        {
            // A subscriber's failure (or a message from a newer version) never stops the relay.
            LogDeliveryFailed(_logger, ex);
        }
    }

    private async Task ReceiveAsync(CancellationToken ct)
    {
        var failures = _listener is null ? 1 : 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_listener is null)
                {
                    _listener = await ListenAsync(ct);
                    LogListening(_logger, failures);
                    failures = 0;
                }

                await _listener.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                LogListenFailed(_logger, ex, failures);
                await CloseListenerAsync();
                await Task.Delay(Backoff(failures), ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        var outbox = _signals.Outbox ?? throw new InvalidOperationException("The relay runs only for relayed signals.");
        var batch = new List<ClusterMessage>(MaxBatch);
        var failures = 0;
        try
        {
            while (await outbox.WaitToReadAsync(ct))
            {
                while (batch.Count < MaxBatch && outbox.TryRead(out var message))
                {
                    batch.Add(message);
                }

                try
                {
                    await using var send = _sender.CreateBatch();
                    foreach (var message in batch)
                    {
                        send.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
                        {
                            Parameters = { new NpgsqlParameter { Value = ClusterMessage.PostgresChannel }, new NpgsqlParameter { Value = message.Wire } },
                        });
                    }

                    await send.ExecuteNonQueryAsync(ct);
                    failures = 0;
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // Dropped, not retried: the other instances read the same state from the database on their next refresh.
                    failures++;
                    LogSendFailed(_logger, ex, batch.Count);
                    await Task.Delay(Backoff(failures), ct);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));

    private async Task CloseListenerAsync()
    {
        if (_listener is { } listener)
        {
            _listener = null;
            await listener.DisposeAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await CloseListenerAsync();
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        _sender.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for other instances' signals again after {Failures} failed attempt(s)")]
    private static partial void LogListening(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lost the connection that listens for other instances' signals (attempt {Failures}); reconnecting with backoff — live updates and cancels from other instances are missed meanwhile")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} signal(s) to the other instances; they are dropped")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A signal from another instance could not be delivered")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception);
}
