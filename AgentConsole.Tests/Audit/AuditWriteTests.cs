using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Audit;

/// <summary>The bulk write path (RecordBatchAsync, then the batched seal) stores exactly what it hashes.</summary>
public sealed class AuditWriteTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync(o => o.SealBatchSize = 7);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    // Text that round-trips badly through careless encoding: quotes, backslashes, JSON and SQL syntax, accents,
    // CJK, emoji (surrogate pairs), tabs and a line break that the summary turns into a space.
    private static readonly string[] Awkward =
    [
        "plain",
        "quote \" and backslash \\ and 'single'",
        "{\"json\": [1, 2]} ; DROP TABLE AuditEvents; --",
        "Ünïcödé café naïve — “curly” ‘quotes’",
        "日本語のテキスト 和 中文",
        "emoji 🚀🔥 and a flag 🇪🇺",
        "tab\tand\r\nnew line",
        "",
    ];

    private static List<AuditEntry> Entries() =>
    [
        .. Awkward.Select((text, i) => new AuditEntry(
            (AuditCategory)(i % 8),
            "test." + i,
            i % 2 == 0 ? AuditActor.User($"ü{i}@example.com") : AuditActor.Run($"run-{text}"),
            $"Summary {i}: {text}",
            new { text, i, nested = new { apiKey = "sk-secret", note = text } },
            i % 3 == 0 ? null : $"agent-{text}",
            i % 4 == 0 ? null : $"run-{i}")),
    ];

    [Fact]
    public async Task RecordBatch_StoresTheSameOutboxRowsAsTheEfMapping_AndWakesTheSealer()
    {
        var signal = _db.Get<AuditSignal>();
        var entries = Entries();
        await _db.Get<AuditLog>().RecordBatchAsync(entries);

        Assert.True(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        await using var db = await _db.Contexts.CreateDbContextAsync();
        var rows = await db.AuditOutbox.OrderBy(o => o.Id).ToListAsync();
        Assert.Equal(entries.Count, rows.Count);
        foreach (var (entry, row) in entries.Zip(rows))
        {
            Assert.Equal(_db.Time.GetUtcNow(), row.Timestamp);
            Assert.Equal(entry.Actor.Type, row.ActorType);
            Assert.Equal(entry.Actor.Name, row.Actor);
            Assert.Equal(entry.Category, row.Category);
            Assert.Equal(entry.Action, row.Action);
            Assert.Equal(entry.AgentKey, row.AgentKey);
            Assert.Equal(entry.RunId, row.RunId);
            Assert.Equal(entry.Summary.ReplaceLineEndings(" "), row.Summary);
            Assert.Equal(AuditLog.SerializePayload(entry.Payload), row.Payload);
            Assert.Contains("[redacted]", row.Payload, StringComparison.Ordinal);
        }

        // Enum columns hold names, as EF's string conversion writes them.
        var raw = await db.Database.SqlQueryRaw<string>("SELECT \"Category\" || '/' || \"ActorType\" AS \"Value\" FROM \"AuditOutbox\" ORDER BY \"Id\"").ToListAsync();
        Assert.Equal(entries.Select(e => $"{e.Category}/{e.Actor.Type}"), raw);
    }

    [Fact]
    public async Task RecordBatch_WritesNothing_WhenOneEntryIsInvalid()
    {
        var entries = Entries();
        entries.Insert(3, entries[0] with { Category = (AuditCategory)99 });

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _db.Get<AuditLog>().RecordBatchAsync(entries));

        await using var db = await _db.Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.AuditOutbox.CountAsync());
    }

    [Fact]
    public async Task RecordBatch_OfNothing_WritesNothing()
    {
        await _db.Get<AuditLog>().RecordBatchAsync([]);

        Assert.False(await _db.Get<AuditSignal>().WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Seal_StoresExactlyTheRecordedValues_AcrossBatchesAndCategories()
    {
        var log = _db.Get<AuditLog>();
        var chain = _db.Get<AuditChain>();
        // Three record calls and seals of 7 (SealBatchSize) so chains continue across seal transactions.
        await log.RecordBatchAsync(Entries());
        _db.Time.Advance(TimeSpan.FromMinutes(1));
        await log.RecordBatchAsync(Entries());
        Assert.Equal(16, await chain.SealPendingAsync());
        await log.RecordBatchAsync(Entries());
        Assert.Equal(8, await chain.SealPendingAsync());

        await using var db = await _db.Contexts.CreateDbContextAsync();
        var events = await db.AuditEvents.OrderBy(e => e.Sequence).ToListAsync();
        var expected = Entries().Concat(Entries()).Concat(Entries()).ToList();
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), events.Select(e => e.Sequence));
        foreach (var (entry, e) in expected.Zip(events))
        {
            Assert.Equal(entry.Actor.Name, e.Actor);
            Assert.Equal(entry.Category, e.Category);
            Assert.Equal(entry.AgentKey, e.AgentKey);
            Assert.Equal(entry.RunId, e.RunId);
            Assert.Equal(entry.Summary.ReplaceLineEndings(" "), e.Summary);
            Assert.Equal(AuditLog.SerializePayload(entry.Payload), e.Payload);
        }

        // Each category links to its own previous event, across the seal transactions.
        foreach (var category in events.GroupBy(e => e.Category))
        {
            var chainOf = category.ToList();
            Assert.Equal(AuditChain.Genesis, chainOf[0].PreviousHash);
            Assert.All(chainOf.Skip(1).Zip(chainOf), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        }

        var verification = await chain.VerifyAsync();
        Assert.True(verification.Ok, verification.Reason);
        Assert.Equal(24, verification.EventsChecked);
        Assert.Equal(0, await db.AuditOutbox.CountAsync());
    }

    public static TheoryData<string, object?> Payloads() => new()
    {
        { "anonymous object", new { tool = "crm.update_lead", attempt = 2, ok = true, note = (string?)null } },
        { "awkward text", new { text = string.Join(" | ", Awkward), html = "<b>&amp;</b> 'x' + y" } },
        { "numbers", new { d = 0.1, tiny = 1e-7, big = double.MaxValue, m = 12345.678900m, l = long.MaxValue, neg = -0.0 } },
        { "dates and enums", new { at = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.FromHours(2)), category = AuditCategory.Tool, kind = DayOfWeek.Monday } },
        { "nested arrays", new { rows = new object[] { 1, "two", new { three = 3.0 }, new List<string> { "four" } }, empty = Array.Empty<int>() } },
        { "secret at the top", new { user = "maria", password = "hunter2", clientSecret = "s" } },
        { "secret deep down", new { request = new { headers = new { authorization = "Bearer x", accept = "json" } }, list = new[] { new { token = "t" } } } },
        { "secret that is null", new Dictionary<string, object?> { ["apiKey"] = null, ["keyPrefix"] = "ac_12" } },
        { "secret that is an object", new { privateKey = new { pem = "-----BEGIN-----" } } },
        { "dictionary", new Dictionary<string, object?> { ["Zeta"] = 1, ["alpha"] = "ü", ["Mixed_Case"] = new List<int> { 1, 2 } } },
        { "a string", "just text with \"quotes\"" },
        { "a number", 42 },
        { "an empty object", new { } },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void SerializePayload_WritesWhatTheScrubbedNodeWrites(string name, object? payload)
    {
        // The reference is the node path: serialise to a node, scrub it, write it.
        var reference = AuditLog.SerializePayload(JsonSerializer.SerializeToNode(payload, AuditLog.PayloadJson));

        Assert.True(reference == AuditLog.SerializePayload(payload), name);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("not-hex but ascii")]
    [InlineData("non-ascii ü and 🚀 become question marks")]
    [InlineData("")]
    public void ChainHasher_ComputesTheDocumentedHmac(string previousHash)
    {
        var key = "test-audit-hmac-key-0123456789abcdef"u8.ToArray();
        var longPrevious = string.Concat(Enumerable.Repeat(previousHash + "x", 40));
        using var hasher = new ChainHasher(key);
        foreach (var (e, i) in Entries().Select((entry, i) => (Event(entry, i), i)))
        {
            Assert.Equal(Reference(key, e, i + 1, previousHash), hasher.Compute(e, i + 1, previousHash));
            Assert.Equal(Reference(key, e, i + 1, longPrevious), hasher.Compute(e, i + 1, longPrevious));
        }
    }

    private static AuditEvent Event(AuditEntry entry, int i) => new()
    {
        Timestamp = new DateTimeOffset(2026, 11, 25, 9, 0, i, TimeSpan.Zero),
        ActorType = entry.Actor.Type,
        Actor = entry.Actor.Name,
        Category = entry.Category,
        Action = entry.Action,
        AgentKey = entry.AgentKey,
        RunId = entry.RunId,
        Summary = entry.Summary,
        Payload = AuditLog.SerializePayload(entry.Payload),
    };

    // The chain's definition, written out independently: HMAC-SHA256(key, ASCII(previous hash) + canonical JSON array).
    private static string Reference(byte[] key, AuditEvent e, long sequence, string previousHash)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(sequence);
            writer.WriteNumberValue(e.Timestamp.UtcTicks);
            writer.WriteStringValue(e.ActorType.ToString());
            writer.WriteStringValue(e.Actor);
            writer.WriteStringValue(e.Category.ToString());
            writer.WriteStringValue(e.Action);
            if (e.AgentKey is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(e.AgentKey);
            }

            if (e.RunId is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(e.RunId);
            }

            writer.WriteStringValue(e.Summary);
            writer.WriteStringValue(e.Payload);
            writer.WriteEndArray();
        }

        var message = Encoding.ASCII.GetBytes(previousHash).Concat(buffer.WrittenSpan.ToArray()).ToArray();
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }
}
