using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// Folds rollup deltas shortly after runs end (woken by <see cref="RollupSignal"/>) and at least every
/// <see cref="MonitoringOptions.FoldInterval"/>; on start it rebuilds the rollups of a database that has runs but none.
/// Readers add unfolded deltas themselves, so folding late never makes a figure stale, only a query a little longer.
/// </summary>
internal sealed partial class RollupFoldService(RollupFolder folder, RollupSignal signal, IOptions<MonitoringOptions> options, ILogger<RollupFoldService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.FoldInterval;
        try
        {
            if (await folder.NeedsRebuildAsync(stoppingToken))
            {
                await folder.RebuildAsync(stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFoldFailed(logger, ex);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(interval, stoppingToken);
                // Let the runs ending at this moment fold together.
                await Task.Delay(interval / 4, stoppingToken);
                await folder.FoldAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFoldFailed(logger, ex);
                await Task.Delay(interval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding the run rollups failed; the deltas stay and are retried")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);
}
