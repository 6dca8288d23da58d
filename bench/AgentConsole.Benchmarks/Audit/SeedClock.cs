namespace AgentConsole.Benchmarks.Audit;

/// <summary>
/// The clock the audit log stamps entries with while seeding: every reading moves time forward by a random,
/// exponentially distributed gap, so N readings spread over about <c>span</c> with realistic bursts and lulls.
/// </summary>
internal sealed class SeedClock(DateTimeOffset start, TimeSpan span, long readings, int seed) : TimeProvider
{
    private readonly Random _random = new(seed);
    private readonly double _meanGapTicks = span.Ticks / (double)Math.Max(1, readings);
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow()
    {
        var now = new DateTimeOffset(_ticks, TimeSpan.Zero);
        _ticks += (long)(-Math.Log(1 - _random.NextDouble()) * _meanGapTicks);
        return now;
    }
}
