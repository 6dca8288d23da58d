using AgentConsole.Engine.Tools;

namespace AgentConsole.Components.Pages.Tools;

/// <summary>Runs a connector's health check for the pages: bounded in time, and a failure is a message, never an exception.</summary>
internal static class ConnectionChecks
{
    /// <summary>A connection that has not answered its health check by then is reported as not answering.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<ConnectionHealth> CheckAsync(ConnectionStore store, string key, IConnector connector, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            var snapshot = await store.SnapshotAsync(key, timeout.Token);
            // WaitAsync: a connector that ignores its token still cannot hold the page past the limit.
            return await connector.CheckAsync(snapshot, timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ConnectionHealth.Unhealthy($"No answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException)
        {
            return ConnectionHealth.Unhealthy("Check cancelled.");
        }
        catch (Exception ex)
        {
            // A health check is a diagnosis: whatever the connector throws is what the Admin needs to read.
            return ConnectionHealth.Unhealthy($"Check failed: {ex.Message}");
        }
    }
}
