using System.Text;
using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Audit;

/// <summary>
/// Search results against a brute-force filter over every event, on a log whose timestamps do not follow sequence
/// order (outbox rows can commit out of time order), so that date windows narrowed by sequence stay exact.
/// </summary>
public sealed class AuditSearchWindowTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day0 = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Agents = ["lead-router", "invoice-triage", "refund-approver"];
    private static readonly string[] Words = ["alpha", "bravo", "charlie"];

    private TestDatabase _db = default!;
    private List<AuditEvent> _all = [];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using (var db = await _db.Contexts.CreateDbContextAsync())
        {
            // 600 outbox rows over 30 days, written in an order that jumps back and forth in time.
            for (var i = 0; i < 600; i++)
            {
                var day = (i * 7 % 30) + (i % 5 == 0 ? -3 : 0);
                var row = new AuditOutboxEntry
                {
                    Timestamp = Day0.AddDays(day).AddMinutes(i),
                    ActorType = AuditActorType.Run,
                    Actor = $"run-{i / 10}",
                    Category = (AuditCategory)(i % 8),
                    Action = "test.event",
                    AgentKey = i % 11 == 0 ? null : Agents[i % Agents.Length],
                    RunId = $"run-{i / 10}",
                    Summary = $"Event {i} {Words[i % Words.Length]}" + (i % 4 == 0 ? " credit limit exceeded" : ""),
                    Payload = $"{{\"i\":{i},\"word\":\"{Words[(i / 3) % Words.Length]}\"}}",
                };
                // Rows written around AuditLog (to control their times) need the MAC it would have given them.
                _db.Get<AuditLog>().Sign(row);
                db.AuditOutbox.Add(row);
            }

            await db.SaveChangesAsync();
        }

        await _db.Get<AuditChain>().SealPendingAsync();
        await using (var db = await _db.Contexts.CreateDbContextAsync())
        {
            _all = await db.AuditEvents.OrderByDescending(e => e.Sequence).ToListAsync();
        }
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    public static TheoryData<string?, string?, int?, int?> Queries() => new()
    {
        { null, null, null, null },
        { "alpha", null, null, null },
        { "\"credit limit\"", null, null, null },
        { "alpha", "invoice-triage", 3, 10 },
        { "bravo", null, 0, 2 },
        { null, "lead-router", 12, 19 },
        { "charlie", null, 20, null },
        { "alpha", "refund-approver", null, 5 },
        { "alpha", null, -10, -5 },
        { "bravo", "lead-router", 40, 50 },
        { null, null, -5, 40 },
        { "credit", "invoice-triage", 8, 8 },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Search_PagesThroughExactlyTheMatchingEvents_NewestFirst(string? text, string? agent, int? fromDay, int? toDay)
    {
        var query = Query(text, agent, fromDay, toDay) with { Limit = 7 };
        var expected = Expected(text, agent, query.From, query.To);
        var search = _db.Get<AuditSearch>();

        var seen = new List<long>();
        long? cursor = null;
        do
        {
            var page = await search.SearchAsync(query with { Before = cursor });
            seen.AddRange(page.Events.Select(e => e.Sequence));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(expected.Count, await search.CountAsync(query));
        using var export = new MemoryStream();
        Assert.Equal(expected.Count, await search.ExportAsync(query, AuditExportFormat.JsonLines, export));
        var exported = Encoding.UTF8.GetString(export.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.AsEnumerable().Reverse().Select(s => $"{{\"sequence\":{s},"), exported.Select(l => l[..(l.IndexOf(',', StringComparison.Ordinal) + 1)]));
    }

    [Fact]
    public async Task Search_SeesEventsSealedSinceTheLastSearch_OfTheSameWindow()
    {
        // The window's sequence bounds are worked out with every search, in the same statement.
        var query = Query("alpha", null, 0, 90) with { Limit = 500 };
        var before = await _db.Get<AuditSearch>().SearchAsync(query);

        await _db.Get<AuditLog>().RecordAsync(new AuditEntry(AuditCategory.Tool, "test.late", AuditActor.System, "A late alpha"));
        await _db.Get<AuditChain>().SealPendingAsync();
        var after = await _db.Get<AuditSearch>().SearchAsync(query);

        Assert.Equal(before.Events.Count + 1, after.Events.Count);
        Assert.Equal("A late alpha", after.Events[0].Summary);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(-5, 0)]
    [InlineData(5, 45)]
    public async Task Search_FindsTheSameEvents_WhenTheWindowIsWrittenInAnotherOffset(int hours, int minutes)
    {
        var offset = new TimeSpan(hours, Math.Sign(hours) * minutes, 0);
        var utc = Query(null, null, 3, 10) with { Limit = 500 };
        var shifted = utc with { From = utc.From!.Value.ToOffset(offset), To = utc.To!.Value.ToOffset(offset) };
        var search = _db.Get<AuditSearch>();

        var expected = (await search.SearchAsync(utc)).Events.Select(e => e.Sequence).ToList();
        var found = (await search.SearchAsync(shifted)).Events.Select(e => e.Sequence).ToList();

        Assert.Equal(Expected(null, null, utc.From, utc.To), expected);
        Assert.Equal(expected, found);
        Assert.Equal(expected.Count, await search.CountAsync(shifted));
    }

    private static AuditQuery Query(string? text, string? agent, int? fromDay, int? toDay) => new()
    {
        Text = text,
        Agent = agent,
        From = fromDay is { } f ? Day0.AddDays(f) : null,
        To = toDay is { } t ? Day0.AddDays(t).AddHours(12) : null,
        Limit = 50,
    };

    private List<long> Expected(string? text, string? agent, DateTimeOffset? from, DateTimeOffset? to) =>
    [
        .. _all
            .Where(e => text is null || Terms(text).All(term => (e.Summary + " " + e.Payload).Contains(term, StringComparison.OrdinalIgnoreCase)))
            .Where(e => agent is null || e.AgentKey == agent)
            .Where(e => from is null || e.Timestamp >= from)
            .Where(e => to is null || e.Timestamp <= to)
            .Select(e => e.Sequence),
    ];

    // Every test word is distinct enough that substring matching equals FTS5 token matching here.
    private static IEnumerable<string> Terms(string text) => [text.Trim('"')];
}
