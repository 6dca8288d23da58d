using System.Threading.Channels;

namespace AgentConsole.Engine.Monitoring;

/// <summary>Wakes <see cref="RollupFoldService"/> when a save wrote rollup deltas (coalesced: many wake-ups, one pass).</summary>
public sealed class RollupSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>
    /// Waits for a notification or the interval, whichever comes first. Real time on purpose: folding is housekeeping,
    /// and readers add unfolded deltas, so no figure depends on when it happens (test hosts with a frozen clock fold too).
    /// </summary>
    public async Task WaitAsync(TimeSpan interval, CancellationToken ct)
    {
        using var tick = new CancellationTokenSource(interval);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, tick.Token);
        try
        {
            await _channel.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }
}
