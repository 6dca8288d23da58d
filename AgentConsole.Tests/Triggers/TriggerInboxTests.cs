using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers;

/// <summary>
/// The inbox over real SQLite files: an event is stored before anything else happens, duplicates within the window
/// are answered with the original, the processor filters, maps and starts one run per matched event with its
/// provenance, and what it does not start it keeps with the reason.
/// </summary>
public sealed class TriggerInboxTests : IAsyncLifetime
{
    private const string Owner = "owner@agentconsole.local";
    private readonly RunFolders _folders = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private RunHost _host = null!;

    private TriggerCatalog Catalog => _host.Services.GetRequiredService<TriggerCatalog>();
    private TriggerInbox Inbox => _host.Services.GetRequiredService<TriggerInbox>();
    private TriggerEventProcessor Processor => _host.Services.GetRequiredService<TriggerEventProcessor>();

    // The tests drive the inbox processor themselves, so they see each event before and after it is processed.
    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folders.New(), _time, ("AgentConsole:Triggers:ProcessInBackground", "false"));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folders.Dispose();
    }

    private static readonly TriggerFilter WebsiteLeads = new(FilterMatch.All,
    [
        new TriggerCondition("source", "\"website contact form\""),
        new TriggerCondition("industry", "\"SaaS\",\"Retail\""),
    ]);

    private async Task<Trigger> CreateAsync(TriggerFilter? filter = null, IReadOnlyDictionary<string, string>? mapping = null, string? dedupField = null, int? window = null)
    {
        var result = await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey,
            new TriggerDraft("Website leads", TriggerKind.Webhook, Filter: filter, Mapping: mapping, DedupField: dedupField, DedupWindowMinutes: window), Owner);
        Assert.True(result.Outcome == TriggerCommandOutcome.Done, $"{result.Message} {string.Join("; ", result.Errors?.Select(e => $"{e.Key}: {e.Value[0]}") ?? [])}");
        return result.Trigger!;
    }

    private static JsonObject Lead(string industry = "SaaS", string source = "website contact form") => new()
    {
        ["name"] = "Dana Whitfield",
        ["email"] = "dana@acme.example",
        ["company"] = "Acme GmbH",
        ["employees"] = 120,
        ["industry"] = industry,
        ["source"] = source,
    };

    [Fact]
    public async Task MatchedEvent_StartsOneRun_WithTheTriggerAsActorAndProvenance()
    {
        var trigger = await CreateAsync(WebsiteLeads);

        var receipt = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(), Source: "203.0.113.7"));
        var stored = await _host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == receipt.EventId));
        Assert.Equal(TriggerEventStatus.Received, stored.Status);

        await Processor.ProcessBatchAsync(CancellationToken.None);

        var evt = await _host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == receipt.EventId));
        Assert.Equal(TriggerEventStatus.RunStarted, evt.Status);
        Assert.True(evt.Matched);
        var run = await _host.QueryAsync(db => db.Runs.SingleAsync(r => r.Id == evt.RunId));
        Assert.Equal(trigger.Key, run.TriggerKey);
        Assert.Equal(evt.Id, run.TriggerEventId);
        Assert.Equal($"trigger:{trigger.Key}", run.CreatedBy);
        Assert.Equal(RunStatus.Queued, run.Status);
        var first = await _host.QueryAsync(db => db.RunSteps.Where(s => s.RunId == run.Id).OrderBy(s => s.Sequence).FirstAsync());
        Assert.Equal($"Started by trigger {trigger.Key}", first.Title);
        Assert.Contains(receipt.EventId.ToString(), first.DetailJson);

        // Processing again finds nothing left to do: one event, one run.
        Assert.Equal(0, await Processor.ProcessBatchAsync(CancellationToken.None));
        Assert.Equal(1, await _host.QueryAsync(db => db.Runs.CountAsync(r => r.TriggerKey == trigger.Key)));
    }

    [Fact]
    public async Task FilteredOutEvent_IsKeptWithTheReason_AndStartsNothing()
    {
        var trigger = await CreateAsync(WebsiteLeads);

        var receipt = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(industry: "Mining")));
        await Processor.ProcessBatchAsync(CancellationToken.None);

        var evt = await _host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == receipt.EventId));
        Assert.Equal(TriggerEventStatus.FilteredOut, evt.Status);
        Assert.False(evt.Matched);
        Assert.Equal("industry is \"Mining\", which does not pass \"SaaS\",\"Retail\"", evt.Reason);
        Assert.NotNull(evt.PayloadJson);
        Assert.Equal(0, await _host.QueryAsync(db => db.Runs.CountAsync(r => r.TriggerKey == trigger.Key)));
    }

    [Fact]
    public async Task MatchedEvent_WhoseMappedInputIsInvalid_FailsWithTheFieldsNamed()
    {
        var trigger = await CreateAsync(mapping: new Dictionary<string, string> { ["name"] = "contact.fullName", ["email"] = "contact.email", ["company"] = "org", ["employees"] = "size" });

        var receipt = await Inbox.ReceiveAsync(trigger, new TriggerIntake(new JsonObject { ["contact"] = new JsonObject { ["fullName"] = "Dana" }, ["size"] = "many" }));
        await Processor.ProcessBatchAsync(CancellationToken.None);

        var evt = await _host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == receipt.EventId));
        Assert.Equal(TriggerEventStatus.Failed, evt.Status);
        Assert.True(evt.Matched);
        Assert.Contains("'email' is required", evt.Reason);
        Assert.Contains("'employees' must be a number", evt.Reason);
    }

    [Fact]
    public async Task Mapping_ReadsNestedFields_AndTurnsFormTextIntoNumbers()
    {
        var trigger = await CreateAsync(mapping: new Dictionary<string, string>
        {
            ["name"] = "contact.fullName", ["email"] = "contact.email", ["company"] = "org.name", ["employees"] = "org.size",
        });

        var receipt = await Inbox.ReceiveAsync(trigger, new TriggerIntake(JsonNode.Parse(
            """{"contact":{"fullName":"Dana Whitfield","email":"dana@acme.example"},"org":{"name":"Acme GmbH","size":" 120 "},"ignored":"x"}""")!.AsObject()));
        await Processor.ProcessBatchAsync(CancellationToken.None);

        var evt = await _host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == receipt.EventId));
        Assert.Equal(TriggerEventStatus.RunStarted, evt.Status);
        var run = await _host.QueryAsync(db => db.Runs.SingleAsync(r => r.Id == evt.RunId));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"name":"Dana Whitfield","email":"dana@acme.example","company":"Acme GmbH","employees":120}"""),
            JsonNode.Parse(run.InputJson)), run.InputJson);
    }

    [Fact]
    public async Task Duplicate_WithinTheWindow_IsAnsweredWithTheOriginal_AndRunsOnce_ButAfterTheWindowRunsAgain()
    {
        var trigger = await CreateAsync(dedupField: "email", window: 60);

        var first = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead()));
        _time.Advance(TimeSpan.FromMinutes(30));
        var again = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead()));
        var byHeader = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(), IdempotencyKey: "order-1"));
        var byHeaderAgain = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(), IdempotencyKey: "order-1"));
        _time.Advance(TimeSpan.FromMinutes(31));
        var later = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead()));
        await Processor.ProcessBatchAsync(CancellationToken.None);

        Assert.False(first.Duplicate);
        Assert.Equal((first.EventId, true), (again.EventId, again.Duplicate));
        Assert.Equal((byHeader.EventId, true), (byHeaderAgain.EventId, byHeaderAgain.Duplicate));
        Assert.False(later.Duplicate);
        Assert.NotEqual(first.EventId, later.EventId);
        var events = await _host.QueryAsync(db => db.TriggerEvents.Where(e => e.TriggerId == trigger.Id).ToListAsync());
        Assert.Equal(2, events.Count(e => e.Status == TriggerEventStatus.Duplicate));
        Assert.All(events.Where(e => e.Status == TriggerEventStatus.Duplicate), e => Assert.Null(e.PayloadJson));
        Assert.Equal(3, await _host.QueryAsync(db => db.Runs.CountAsync(r => r.TriggerKey == trigger.Key)));
    }

    [Fact]
    public async Task ConcurrentDuplicates_StoreOneEvent_AndAnswerEveryCallerWithIt()
    {
        var trigger = await CreateAsync();

        var receipts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(), IdempotencyKey: "same")))));

        Assert.Single(receipts.Select(r => r.EventId).Distinct());
        Assert.Single(receipts, r => !r.Duplicate);
        Assert.Equal(1, await _host.QueryAsync(db => db.TriggerEvents.CountAsync(e => e.TriggerId == trigger.Id && e.Status == TriggerEventStatus.Received)));
    }

    [Fact]
    public async Task EventOfAPausedAgent_FailsWithTheReason_AndIsAudited()
    {
        var trigger = await CreateAsync();
        await _host.UpdateDemoAgentAsync(a => a.Status = Engine.Agents.AgentStatus.Paused);

        var receipt = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead()));
        await Processor.ProcessBatchAsync(CancellationToken.None);

        var evt = await _host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.Id == receipt.EventId));
        Assert.Equal(TriggerEventStatus.Failed, evt.Status);
        Assert.Contains("paused", evt.Reason);
        await _host.Services.GetRequiredService<AuditChain>().SealPendingAsync(CancellationToken.None);
        var audited = await _host.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "trigger.events").ToListAsync());
        var entry = Assert.Single(audited);
        Assert.Equal(AuditActorType.Trigger, entry.ActorType);
        Assert.Equal(trigger.Key, entry.Actor);
        Assert.Contains(receipt.EventId.ToString(), entry.Payload);
    }

    [Fact]
    public async Task ProcessedBatch_IsAuditedOncePerTrigger_WithEveryEventItsOutcomeAndRedactedPayload()
    {
        var trigger = await CreateAsync(WebsiteLeads);
        var started = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead()));
        var dropped = await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(industry: "Mining")));
        var card = Lead();
        card["notes"] = "card 4111 1111 1111 1111";
        var third = await Inbox.ReceiveAsync(trigger, new TriggerIntake(card));

        await Processor.ProcessBatchAsync(CancellationToken.None);
        await _host.Services.GetRequiredService<AuditChain>().SealPendingAsync(CancellationToken.None);

        var entry = Assert.Single(await _host.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "trigger.events").ToListAsync()));
        Assert.Equal("3 events of trigger 'lead-router-website-leads': 1 filtered out, 2 started a run", entry.Summary);
        var events = System.Text.Json.Nodes.JsonNode.Parse(entry.Payload)!["events"]!.AsArray();
        // Events of the same instant have no order among them (their ids are random below the millisecond).
        var outcomes = events.ToDictionary(e => Guid.Parse(e!["eventId"]!.GetValue<string>()), e => e!["status"]!.GetValue<string>());
        Assert.Equal(
            new Dictionary<Guid, string> { [started.EventId] = "RunStarted", [dropped.EventId] = "FilteredOut", [third.EventId] = "RunStarted" },
            outcomes);
        Assert.DoesNotContain("4111 1111 1111 1111", entry.Payload);
        Assert.DoesNotContain("dana@acme.example", entry.Payload);
        Assert.Contains("Acme GmbH", entry.Payload);
    }

    [Fact]
    public async Task Statistics_CountEachDaysEventsByOutcome()
    {
        var trigger = await CreateAsync(WebsiteLeads);
        await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead()));
        await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(industry: "Mining")));
        await Inbox.RejectAsync(trigger, "The signature does not match.", "198.51.100.1");
        await Processor.ProcessBatchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1));
        await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(), IdempotencyKey: "k"));
        await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead(), IdempotencyKey: "k"));
        await Processor.ProcessBatchAsync(CancellationToken.None);

        var days = await _host.Services.GetRequiredService<TriggerStatistics>().DailyAsync(trigger.Id, 3);

        Assert.Equal(
            [
                new TriggerDayStats(new DateOnly(2026, 12, 6), 0, 0, 0, 0, 0, 0),
                new TriggerDayStats(new DateOnly(2026, 12, 7), 3, 1, 1, 1, 0, 1),
                new TriggerDayStats(new DateOnly(2026, 12, 8), 2, 1, 0, 0, 1, 1),
            ],
            days);
    }

    [Fact]
    public async Task Events_ArePagedNewestFirst()
    {
        var trigger = await CreateAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Inbox.ReceiveAsync(trigger, new TriggerIntake(Lead()))).EventId);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var stats = _host.Services.GetRequiredService<TriggerStatistics>();
        var first = await stats.EventsAsync(trigger.Id, null, limit: 3);
        var second = await stats.EventsAsync(trigger.Id, first.NextCursor, limit: 3);

        Assert.Equal(ids.AsEnumerable().Reverse().Take(3), first.Items.Select(e => e.Id));
        Assert.Equal(ids.Take(2).Reverse(), second.Items.Select(e => e.Id));
        Assert.Null(second.NextCursor);
        await Assert.ThrowsAsync<FormatException>(() => stats.EventsAsync(trigger.Id, "not-a-cursor"));
    }
}
