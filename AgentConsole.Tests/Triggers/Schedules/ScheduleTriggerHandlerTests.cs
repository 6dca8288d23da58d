using System.Text.Json.Nodes;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Schedules;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers.Schedules;

/// <summary>Cron and time-zone checks and the next occurrences the editor previews, on a fixed clock.</summary>
public sealed class ScheduleTriggerHandlerTests
{
    // Friday before the last Sunday of March 2026, when Europe/Berlin moves from +01:00 to +02:00 at 02:00.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));

    private ScheduleTriggerHandler Handler() => new(new NoRecurringJobs(), _time);

    private static JsonObject Settings(string cron, string? zone = null)
    {
        var settings = new JsonObject { ["cron"] = cron };
        if (zone is not null)
        {
            settings["timeZone"] = zone;
        }

        return settings;
    }

    [Fact]
    public void Next_KeepsTheLocalTimeAcrossTheSpringDstChange_InEuropeBerlin()
    {
        var errors = new Dictionary<string, string[]>();
        var schedule = ScheduleDefinition.TryParse(Settings("0 9 * * *", "Europe/Berlin"), errors)!;

        var next = schedule.Next(_time.GetUtcNow(), 3).ToList();

        Assert.Equal(
        [
            new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.FromHours(1)),
            new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.FromHours(2)),
            new DateTimeOffset(2026, 3, 30, 9, 0, 0, TimeSpan.FromHours(2)),
        ], next);
        Assert.Equal([8, 7, 7], next.Select(n => n.UtcDateTime.Hour));
    }

    [Fact]
    public void Next_MovesAnOccurrenceInTheSkippedHour_ToTheFirstValidTime()
    {
        var errors = new Dictionary<string, string[]>();
        var schedule = ScheduleDefinition.TryParse(Settings("30 2 * * *", "Europe/Berlin"), errors)!;

        var next = schedule.Next(_time.GetUtcNow(), 3).ToList();

        // 02:30 does not exist on 29 March 2026 in Berlin; it runs once, at 03:00 CEST.
        Assert.Equal(
        [
            new DateTimeOffset(2026, 3, 28, 2, 30, 0, TimeSpan.FromHours(1)),
            new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)),
            new DateTimeOffset(2026, 3, 30, 2, 30, 0, TimeSpan.FromHours(2)),
        ], next);
    }

    [Fact]
    public void Preview_ListsTheNextFiveOccurrencesInTheZoneAndInUtc_FromTheInjectedClock()
    {
        var preview = Handler().Preview(Settings("0 9 * * *", "Europe/Berlin"));

        Assert.NotNull(preview);
        var lines = preview.Split('\n');
        Assert.Equal("Next 5 runs (Europe/Berlin):", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Equal("Sat 2026-03-28 09:00:00 +01:00 = 2026-03-28 08:00:00 UTC", lines[1]);
        Assert.Equal("Sun 2026-03-29 09:00:00 +02:00 = 2026-03-29 07:00:00 UTC", lines[2]);

        _time.Advance(TimeSpan.FromDays(1));
        Assert.StartsWith("Next 5 runs (Europe/Berlin):\nSun 2026-03-29", Handler().Preview(Settings("0 9 * * *", "Europe/Berlin")), StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_AcceptsSixFieldsWithSeconds_AndDefaultsToUtc()
    {
        var preview = Handler().Preview(Settings("30 0 12 * * *"));

        Assert.StartsWith("Next 5 runs (UTC):\nFri 2026-03-27 12:00:30 +00:00 = 2026-03-27 12:00:30 UTC", preview, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 9 * *", "settings.cron", "5 fields")]
    [InlineData("0 9 * * * * *", "settings.cron", "5 fields")]
    [InlineData("61 9 * * *", "settings.cron", "not a valid cron expression")]
    [InlineData("0 9 31 2 *", "settings.cron", "never occurs")]
    public void Validate_NamesTheCron_WhenItIsNotValid(string cron, string key, string message)
    {
        var errors = new Dictionary<string, string[]>();

        Handler().Validate(Settings(cron), new Dictionary<string, string>(), errors);

        Assert.Contains(message, Assert.Single(errors, e => e.Key == key).Value[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Preview_IsNull_WhileTheCronIsNotValid()
    {
        Assert.Null(Handler().Preview(Settings("0 9 * *")));
        Assert.Null(Handler().Preview(Settings("0 9 * * *", "Nowhere/Else")));
    }

    [Fact]
    public void Validate_NamesTheTimeZone_WhenItIsUnknown_AndTheJsonPayload_WhenItIsNoObject()
    {
        var errors = new Dictionary<string, string[]>();
        var settings = Settings("0 9 * * *", "Mars/Olympus_Mons");
        settings["payload"] = new JsonArray(1, 2);

        Handler().Validate(settings, new Dictionary<string, string>(), errors);

        Assert.Contains("'Mars/Olympus_Mons' is not a known time zone", errors["settings.timeZone"][0], StringComparison.Ordinal);
        Assert.Contains("JSON object", errors["settings.payload"][0], StringComparison.Ordinal);
        Assert.False(errors.ContainsKey("settings.cron"));
    }

    [Fact]
    public void Validate_NormalisesSpacingAndTheDefaultZone()
    {
        var settings = Settings("  0   9 * *  MON-FRI ");

        var errors = new Dictionary<string, string[]>();
        Handler().Validate(settings, new Dictionary<string, string>(), errors);

        Assert.Empty(errors);
        Assert.Equal("0 9 * * MON-FRI", settings["cron"]!.GetValue<string>());
        Assert.Equal("UTC", settings["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public void OccurrenceAt_IsTheLatestDueOccurrence_WithinTheTolerance()
    {
        var errors = new Dictionary<string, string[]>();
        var schedule = ScheduleDefinition.TryParse(Settings("0 9 * * *", "Europe/Berlin"), errors)!;
        var due = new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero);

        Assert.Equal(due, schedule.OccurrenceAt(due.AddSeconds(20), ScheduleTriggerJob.Tolerance));
        Assert.Null(schedule.OccurrenceAt(due.AddHours(1), ScheduleTriggerJob.Tolerance));
    }

    /// <summary>Validation and preview never touch Hangfire.</summary>
    private sealed class NoRecurringJobs : IRecurringJobManager
    {
        public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) => throw new NotSupportedException();

        public void Trigger(string recurringJobId) => throw new NotSupportedException();

        public void RemoveIfExists(string recurringJobId) => throw new NotSupportedException();
    }
}
