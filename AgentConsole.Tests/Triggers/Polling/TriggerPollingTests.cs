using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Database;
using AgentConsole.Engine.Triggers.Polling;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Triggers.Polling;

/// <summary>When the one polling job polls which trigger, and that Hangfire accepts its every-15-seconds schedule.</summary>
public sealed class TriggerPollingTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"agentconsole-due-{Guid.NewGuid():N}.db");
    private PollingTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _bed = await PollingTestBed.StartAsync();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_file};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE events (id INTEGER PRIMARY KEY)";
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        File.Delete(_file);
    }

    private Task<Trigger> DatabaseTriggerAsync(int pollSeconds) => _bed.CreateAsync(TriggerKind.DatabaseRecord, new JsonObject
    {
        ["provider"] = "sqlite",
        ["query"] = "SELECT id FROM events WHERE id > COALESCE(@cursor, 0) ORDER BY id",
        ["cursorColumn"] = "id",
        ["pollSeconds"] = pollSeconds,
    }, new Dictionary<string, string> { [DatabaseRecordTriggerHandler.ConnectionString] = $"Data Source={_file}" });

    [Fact]
    public async Task PollDue_PollsATriggerAgain_OnlyWhenItsIntervalHasPassed_AndNeverADisabledOne()
    {
        var minute = await DatabaseTriggerAsync(60);
        var hour = await DatabaseTriggerAsync(3_600);
        var disabled = await DatabaseTriggerAsync(60);
        await _bed.Catalog.SetEnabledAsync(disabled.Key, false, "tests");

        var first = await _bed.Polling.PollDueAsync(CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromSeconds(59));
        var early = await _bed.Polling.PollDueAsync(CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromSeconds(1));
        var due = await _bed.Polling.PollDueAsync(CancellationToken.None);

        Assert.Equal((2, 0, 1), (first, early, due));
        Assert.Equal(_bed.Time.GetUtcNow(), (await _bed.ReloadAsync(minute)).LastCheckedAt);
        Assert.Equal(_bed.Time.GetUtcNow() - TimeSpan.FromSeconds(60), (await _bed.ReloadAsync(hour)).LastCheckedAt);
        Assert.Null((await _bed.ReloadAsync(disabled)).LastCheckedAt);
    }

    [Fact]
    public async Task Create_RefusesAPollIntervalUnder30Seconds()
    {
        var result = await _bed.Catalog.CreateAsync("lead-router", new TriggerDraft("Too often", TriggerKind.DatabaseRecord, Settings: new JsonObject
        {
            ["provider"] = "sqlite",
            ["query"] = "SELECT id FROM events WHERE id > COALESCE(@cursor, 0) ORDER BY id",
            ["cursorColumn"] = "id",
            ["pollSeconds"] = 10,
        }, Secrets: new Dictionary<string, string> { [DatabaseRecordTriggerHandler.ConnectionString] = $"Data Source={_file}" }), "tests");

        Assert.Equal(TriggerCommandOutcome.Invalid, result.Outcome);
        Assert.Contains("30", Assert.Single(result.Errors!["settings.pollSeconds"]), StringComparison.Ordinal);
    }

    [Fact]
    public void PollJob_IsAcceptedByHangfire_WithItsSecondsSchedule()
    {
        var services = _bed.Host.Services;
        var recurring = new RecurringJobManager(services.GetRequiredService<JobStorage>());

        recurring.AddOrUpdate<TriggerPollJob>(TriggerPollJob.RecurringId, job => job.RunAsync(CancellationToken.None), TriggerPollJob.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == TriggerPollJob.RecurringId);
        Assert.Null(job.Error);
        Assert.Equal(TriggerPollJob.Cron, job.Cron);
    }
}
