using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Schedules;
using AgentConsole.Tests.Runs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers.Schedules;

/// <summary>
/// Schedules on a real engine host (SQLite files, Hangfire's SQLite storage, no Hangfire server): the recurring job
/// follows its trigger, a fresh Hangfire database gets it back at start-up, and a job run twice starts one run.
/// </summary>
public sealed class ScheduleTriggerJobTests : IDisposable
{
    private const string Actor = "tests@agentconsole.local";

    private readonly RunFolders _folders = new();

    // 09:00:20 in Berlin on the day the clocks went forward: the 09:00 occurrence is due.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 29, 7, 0, 20, TimeSpan.Zero));

    public void Dispose() => _folders.Dispose();

    private static TriggerDraft Schedule(string key, bool enabled = true) => new("Morning leads", TriggerKind.Schedule, enabled, Key: key,
        Settings: new JsonObject
        {
            ["cron"] = "0 9 * * *",
            ["timeZone"] = "Europe/Berlin",
            ["payload"] = new JsonObject { ["name"] = "Scheduled Lead", ["email"] = "scheduled@acme.example", ["company"] = "Acme GmbH", ["employees"] = 42 },
        });

    private static RecurringJobDto? RecurringJob(RunHost host, string key)
    {
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == ScheduleTriggerHandler.JobId(key));
    }

    [Fact]
    public async Task Catalog_RegistersTheRecurringJob_AndRemovesItWhenDisabledOrDeleted()
    {
        await using var host = await RunHost.StartAsync(_folders.New(), _time);
        var catalog = host.Services.GetRequiredService<TriggerCatalog>();

        var created = await catalog.CreateAsync(DemoWorkspace.LeadRouterKey, Schedule("morning"), Actor);

        Assert.Equal(TriggerCommandOutcome.Done, created.Outcome);
        var job = RecurringJob(host, "morning");
        Assert.NotNull(job);
        Assert.Equal("0 9 * * *", job.Cron);
        Assert.Equal("Europe/Berlin", job.TimeZoneId);
        Assert.Equal(nameof(ScheduleTriggerJob.FireAsync), job.Job.Method.Name);
        Assert.Equal(created.Trigger!.Id, job.Job.Args[0]);

        await catalog.SetEnabledAsync("morning", false, Actor);
        Assert.Null(RecurringJob(host, "morning"));

        await catalog.SetEnabledAsync("morning", true, Actor);
        Assert.NotNull(RecurringJob(host, "morning"));

        var changed = Schedule("morning") with { Settings = new JsonObject { ["cron"] = "15 8 * * MON-FRI", ["timeZone"] = "America/New_York" } };
        Assert.Equal(TriggerCommandOutcome.Done, (await catalog.UpdateAsync("morning", changed, null, Actor)).Outcome);
        Assert.Equal("15 8 * * MON-FRI", RecurringJob(host, "morning")!.Cron);
        Assert.Equal("America/New_York", RecurringJob(host, "morning")!.TimeZoneId);

        var withSeconds = Schedule("morning") with { Settings = new JsonObject { ["cron"] = "30 15 8 * * *" } };
        Assert.Equal(TriggerCommandOutcome.Done, (await catalog.UpdateAsync("morning", withSeconds, null, Actor)).Outcome);
        Assert.Equal("30 15 8 * * *", RecurringJob(host, "morning")!.Cron);
        Assert.Null((await catalog.FindAsync("morning"))!.LastError);

        await catalog.DeleteAsync("morning", null, Actor);
        Assert.Null(RecurringJob(host, "morning"));
    }

    [Fact]
    public async Task Startup_RegistersTheJobsOfEnabledSchedulesAgain_InAFreshHangfireDatabase()
    {
        var folder = _folders.New();
        await using (var first = await RunHost.StartAsync(folder, _time))
        {
            var catalog = first.Services.GetRequiredService<TriggerCatalog>();
            await catalog.CreateAsync(DemoWorkspace.LeadRouterKey, Schedule("kept"), Actor);
            await catalog.CreateAsync(DemoWorkspace.LeadRouterKey, Schedule("off", enabled: false), Actor);
        }

        foreach (var file in Directory.GetFiles(folder, "hangfire.db*"))
        {
            File.Delete(file);
        }

        await using var second = await RunHost.StartAsync(folder, _time);

        Assert.Equal("0 9 * * *", RecurringJob(second, "kept")?.Cron);
        Assert.Null(RecurringJob(second, "off"));
    }

    [Fact]
    public async Task FireAsync_RunTwiceForOneOccurrence_WritesOneEventAndADuplicate_AndStartsOneRun()
    {
        await using var host = await RunHost.StartAsync(_folders.New(), _time);
        var trigger = (await host.Services.GetRequiredService<TriggerCatalog>().CreateAsync(DemoWorkspace.LeadRouterKey, Schedule("twice"), Actor)).Trigger!;
        var job = host.Services.GetRequiredService<ScheduleTriggerJob>();

        await job.FireAsync(trigger.Id, null, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        // Hangfire retries the same job: its creation time (and so its occurrence) is the same.
        var again = await job.FireAtAsync(trigger.Id, new DateTimeOffset(2026, 3, 29, 7, 0, 20, TimeSpan.Zero), CancellationToken.None);

        var events = await TriggerEvents.OfAsync(host.Services, "twice");
        Assert.Equal(2, events.Count);
        var original = events.Single(e => e.Status != TriggerEventStatus.Duplicate);
        Assert.True(again!.Duplicate);
        Assert.Equal(original.Id, again.EventId);
        Assert.Equal(original.Id, events.Single(e => e.Status == TriggerEventStatus.Duplicate).DuplicateOf);
        var payload = JsonNode.Parse(original.PayloadJson!)!.AsObject();
        Assert.Equal("2026-03-29T09:00:00+02:00", payload["scheduledFor"]!.GetValue<string>());
        Assert.Equal("Acme GmbH", payload["company"]!.GetValue<string>());
        Assert.Equal("schedule", original.Source);

        var processed = await TriggerEvents.ProcessedAsync(host.Services, original.Id);

        Assert.True(processed.Status == TriggerEventStatus.RunStarted, processed.Reason);
        var runs = await host.QueryAsync(db => db.Runs.Where(r => r.TriggerKey == "twice").ToListAsync());
        Assert.Equal(original.Id, Assert.Single(runs).TriggerEventId);
        Assert.Equal(processed.RunId, runs[0].Id);
        Assert.NotNull((await host.Services.GetRequiredService<TriggerCatalog>().FindAsync("twice"))!.LastCheckedAt);
    }

    [Fact]
    public async Task FireAsync_WritesNothing_WhenTheTriggerWasDisabledAfterTheJobWasQueued()
    {
        await using var host = await RunHost.StartAsync(_folders.New(), _time);
        var catalog = host.Services.GetRequiredService<TriggerCatalog>();
        var trigger = (await catalog.CreateAsync(DemoWorkspace.LeadRouterKey, Schedule("late"), Actor)).Trigger!;
        await catalog.SetEnabledAsync("late", false, Actor);

        await host.Services.GetRequiredService<ScheduleTriggerJob>().FireAsync(trigger.Id, null, CancellationToken.None);

        Assert.Empty(await TriggerEvents.OfAsync(host.Services, "late"));
    }
}
