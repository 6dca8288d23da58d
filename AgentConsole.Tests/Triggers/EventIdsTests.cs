using AgentConsole.Engine.Triggers;

namespace AgentConsole.Tests.Triggers;

public sealed class EventIdsTests
{
    [Fact]
    public void Next_Increases_WithinOneMillisecond_AndAsText()
    {
        var now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 5_000).Select(_ => EventIds.Next(now)).ToList();

        // Ordered as SQLite orders them (the TEXT form) and as Guid.CompareTo does, across the 4,096-per-ms counter.
        Assert.Equal(ids.Select(i => i.ToString()), ids.Select(i => i.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.ToByteArray(bigEndian: true)[8] >> 6));
    }
}
