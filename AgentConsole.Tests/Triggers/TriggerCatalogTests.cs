using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Triggers;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers;

public sealed class TriggerCatalogTests : IAsyncLifetime
{
    private const string Owner = "owner@agentconsole.local";
    private readonly RunFolders _folders = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private RunHost _host = null!;

    private TriggerCatalog Catalog => _host.Services.GetRequiredService<TriggerCatalog>();

    // The tests drive the inbox processor themselves.
    public async Task InitializeAsync() => _host = await RunHost.StartAsync(_folders.New(), _time, ("AgentConsole:Triggers:ProcessInBackground", "false"));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folders.Dispose();
    }

    [Fact]
    public async Task Create_GivesAWebhookASecretOnce_StoresItEncrypted_AndAuditsNoValue()
    {
        var result = await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("Website leads", TriggerKind.Webhook), Owner);

        Assert.Equal(TriggerCommandOutcome.Done, result.Outcome);
        Assert.Equal("lead-router-website-leads", result.Trigger!.Key);
        Assert.StartsWith(TriggerSecrets.SecretPrefix, result.Secret);
        var stored = await _host.QueryAsync(db => db.Triggers.SingleAsync(t => t.Key == result.Trigger.Key));
        Assert.DoesNotContain(result.Secret!, stored.SecretsProtected);
        Assert.Equal([TriggerSecrets.Signing], Catalog.SecretNames(stored));
        Assert.Equal(result.Secret, Catalog.SecretsOf(stored)[TriggerSecrets.Signing]);
        await _host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var audit = await _host.QueryAsync(db => db.AuditEvents.SingleAsync(e => e.Action == "trigger.created" && e.Summary.Contains("(lead-router-website-leads)")));
        Assert.DoesNotContain(result.Secret!, audit.Payload);
        Assert.Contains("\"signing\"", audit.Payload);

        var second = await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("Website leads", TriggerKind.Webhook), Owner);
        Assert.Equal("lead-router-website-leads-2", second.Trigger!.Key);
        Assert.NotEqual(result.Secret, second.Secret);
    }

    [Fact]
    public async Task Create_RefusesBadDrafts_NamingEachField()
    {
        var draft = new TriggerDraft(
            "",
            TriggerKind.Webhook,
            Filter: new TriggerFilter(FilterMatch.All, [new TriggerCondition("industry", "SaaS")]),
            Mapping: new Dictionary<string, string> { ["budget"] = "amount", ["email"] = "a..b" },
            Settings: new() { ["auth"] = "basic", ["rateLimitPerSecond"] = 0 },
            Secrets: new Dictionary<string, string> { ["password"] = "x" },
            DedupField: "not a path",
            DedupWindowMinutes: 0,
            Key: "Bad Key!");
        var before = await _host.QueryAsync(db => db.Triggers.CountAsync());

        var result = await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, draft, Owner);

        Assert.Equal(TriggerCommandOutcome.Invalid, result.Outcome);
        Assert.Equal(
            ["dedupField", "dedupWindowMinutes", "filter.conditions[0].test", "key", "mapping.budget", "mapping.email", "name", "secrets.password", "settings.auth", "settings.rateLimitPerSecond"],
            result.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before, await _host.QueryAsync(db => db.Triggers.CountAsync()));
    }

    [Fact]
    public async Task Create_RefusesAnUnknownAgent_AndAKindWithoutAHandler()
    {
        Assert.Equal(TriggerCommandOutcome.NotFound, (await Catalog.CreateAsync("nobody", new TriggerDraft("x", TriggerKind.Webhook), Owner)).Outcome);

        // Each kind registers its handler; a kind this installation lacks is refused by name, not stored half-working.
        var missing = Enum.GetValues<TriggerKind>().FirstOrDefault(k => Catalog.Handler(k) is null, (TriggerKind)99);
        var result = await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("x", missing), Owner);
        Assert.Equal(TriggerCommandOutcome.Invalid, result.Outcome);
        Assert.Contains("is not available", result.Errors!["kind"][0]);
    }

    [Fact]
    public async Task Create_RefusesMoreTriggersThanAnAgentMayHave()
    {
        await using var host = await RunHost.StartAsync(_folders.New(), _time, ("AgentConsole:Triggers:MaxTriggersPerAgent", "2"));
        var catalog = host.Services.GetRequiredService<TriggerCatalog>();
        var existing = await catalog.ListAsync(DemoWorkspace.LeadRouterKey);

        var results = new List<TriggerCommandResult>();
        for (var i = existing.Count; i <= 2; i++)
        {
            results.Add(await catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft($"Hook {i}", TriggerKind.Webhook), Owner));
        }

        Assert.Equal(TriggerCommandOutcome.Conflict, results[^1].Outcome);
        Assert.Contains("already has 2 triggers", results[^1].Message);
        Assert.Equal(2, (await catalog.ListAsync(DemoWorkspace.LeadRouterKey)).Count);
    }

    [Fact]
    public async Task Update_HonoursTheRevision_AndKeepsKindAndKey()
    {
        var created = (await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("Website leads", TriggerKind.Webhook), Owner)).Trigger!;

        var stale = await Catalog.UpdateAsync(created.Key, new TriggerDraft("Renamed", TriggerKind.Webhook), created.Revision + 1, Owner);
        var rekey = await Catalog.UpdateAsync(created.Key, new TriggerDraft("Renamed", TriggerKind.Webhook, Key: "other"), created.Revision, Owner);
        var ok = await Catalog.UpdateAsync(created.Key, new TriggerDraft("Renamed", TriggerKind.Webhook, Enabled: false), created.Revision, Owner);

        Assert.Equal(TriggerCommandOutcome.Stale, stale.Outcome);
        Assert.Contains("keeps its key", rekey.Errors!["key"][0]);
        Assert.Equal(TriggerCommandOutcome.Done, ok.Outcome);
        Assert.Equal(("Renamed", false, created.Revision + 1), (ok.Trigger!.Name, ok.Trigger.Enabled, ok.Trigger.Revision));
        Assert.Null(ok.Secret);
        // The signing secret survives an edit.
        Assert.Equal([TriggerSecrets.Signing], Catalog.SecretNames(ok.Trigger));
    }

    [Fact]
    public async Task RotateSecret_KeepsThePreviousSecretValid_UntilTheOverlapEnds()
    {
        var created = await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("Website leads", TriggerKind.Webhook), Owner);

        var rotated = await Catalog.RotateSecretAsync(created.Trigger!.Key, Owner);
        var trigger = (await Catalog.FindAsync(created.Trigger.Key))!;

        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.Equal([rotated.Secret!, created.Secret!], TriggerSecrets.SigningSecrets(Catalog.SecretsOf(trigger), _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromHours(24));
        Assert.Equal([rotated.Secret!], TriggerSecrets.SigningSecrets(Catalog.SecretsOf(trigger), _time.GetUtcNow()));
        Assert.Equal([TriggerSecrets.Signing, TriggerSecrets.PreviousSigning], Catalog.SecretNames(trigger));
    }

    [Fact]
    public async Task RecordCheck_MarksTheTriggerUnhealthyAndHealthyAgain_WithoutBumpingItsRevision()
    {
        var trigger = (await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("Website leads", TriggerKind.Webhook), Owner)).Trigger!;

        await Catalog.RecordCheckAsync(trigger.Id, "Connection refused (127.0.0.1:993)");
        await Catalog.RecordCheckAsync(trigger.Id, "Connection refused (127.0.0.1:993)");
        var failing = (await Catalog.FindAsync(trigger.Key))!;
        await Catalog.RecordCheckAsync(trigger.Id, null, cursor: "uid:42", setCursor: true);
        var healthy = (await Catalog.FindAsync(trigger.Key))!;

        Assert.Equal((false, 2, trigger.Revision), (failing.Healthy, failing.ConsecutiveFailures, failing.Revision));
        Assert.Equal((true, 0, "uid:42", trigger.Revision), (healthy.Healthy, healthy.ConsecutiveFailures, healthy.Cursor, healthy.Revision));
        await _host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        var actions = await _host.QueryAsync(db => db.AuditEvents.Where(e => e.Action.StartsWith("trigger.")).Select(e => e.Action).ToListAsync());
        Assert.Equal(1, actions.Count(a => a == "trigger.unhealthy"));
        Assert.Equal(1, actions.Count(a => a == "trigger.recovered"));
    }

    [Fact]
    public async Task Delete_RemovesTheTrigger_ButKeepsItsEvents()
    {
        var trigger = (await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey, new TriggerDraft("Website leads", TriggerKind.Webhook), Owner)).Trigger!;
        await _host.Services.GetRequiredService<TriggerInbox>().ReceiveAsync(trigger, new TriggerIntake(new() { ["name"] = "x" }));

        var result = await Catalog.DeleteAsync(trigger.Key, trigger.Revision, Owner);

        Assert.Equal(TriggerCommandOutcome.Done, result.Outcome);
        Assert.Null(await Catalog.FindAsync(trigger.Key));
        Assert.Equal(1, await _host.QueryAsync(db => db.TriggerEvents.CountAsync(e => e.TriggerId == trigger.Id)));
        await _host.Services.GetRequiredService<TriggerEventProcessor>().ProcessBatchAsync(CancellationToken.None);
        var evt = await _host.QueryAsync(db => db.TriggerEvents.SingleAsync(e => e.TriggerId == trigger.Id));
        Assert.Equal(TriggerEventStatus.Failed, evt.Status);
        Assert.Contains("deleted", evt.Reason);
    }
}
