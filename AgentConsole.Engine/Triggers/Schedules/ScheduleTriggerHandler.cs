using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Hangfire;

namespace AgentConsole.Engine.Triggers.Schedules;

/// <summary>
/// Schedule triggers: a cron expression read in a time zone; each occurrence writes one event (the fixed
/// <c>payload</c> plus <c>scheduledFor</c>). Each enabled trigger is a Hangfire recurring job <c>trigger:{key}</c>,
/// registered when it is saved or enabled and removed when it is disabled or deleted.
/// </summary>
public sealed class ScheduleTriggerHandler(IRecurringJobManager recurring, TimeProvider time) : ITriggerKindHandler
{
    public const int PreviewCount = 5;

    public TriggerKind Kind => TriggerKind.Schedule;

    public IReadOnlyList<TriggerSettingField> SettingFields { get; } =
    [
        new("cron", "Cron expression", TriggerSettingType.Text, Required: true,
            Help: "5 fields (minute hour day-of-month month day-of-week), e.g. \"0 9 * * MON-FRI\" for 9:00 on weekdays; 6 fields add seconds first."),
        new("timeZone", "Time zone", TriggerSettingType.Text,
            Help: "An IANA time zone such as Europe/Berlin; the schedule follows its daylight-saving changes.", Default: ScheduleDefinition.DefaultTimeZone),
        new("payload", "Payload", TriggerSettingType.Json,
            Help: "Optional JSON object sent with every occurrence; scheduledFor (the occurrence, ISO-8601) is added."),
    ];

    public static string JobId(string triggerKey) => $"trigger:{triggerKey}";

    public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors)
    {
        if (ScheduleDefinition.TryParse(settings, errors) is not { } schedule)
        {
            return;
        }

        settings["cron"] = schedule.CronText;
        settings["timeZone"] = schedule.Zone.Id;
        if (!schedule.Next(time.GetUtcNow(), 1).Any())
        {
            errors["settings.cron"] = [$"'{schedule.CronText}' never occurs."];
        }
    }

    /// <summary>The next occurrences in the schedule's zone and in UTC, from the injected clock.</summary>
    public string? Preview(JsonObject settings)
    {
        var errors = new Dictionary<string, string[]>();
        if (ScheduleDefinition.TryParse(settings, errors) is not { } schedule)
        {
            return null;
        }

        var text = new StringBuilder($"Next {PreviewCount} runs ({schedule.Zone.Id}):");
        foreach (var next in schedule.Next(time.GetUtcNow(), PreviewCount))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{next:ddd yyyy-MM-dd HH:mm:ss zzz} = {next.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        }

        return text.ToString();
    }

    public JsonObject SamplePayload(Trigger trigger)
    {
        var settings = JsonNode.Parse(trigger.SettingsJson) as JsonObject ?? [];
        var errors = new Dictionary<string, string[]>();
        var schedule = ScheduleDefinition.TryParse(settings, errors);
        var payload = schedule?.Payload ?? [];
        var next = schedule?.Next(time.GetUtcNow(), 1).FirstOrDefault() ?? time.GetUtcNow();
        payload[ScheduleTriggerJob.ScheduledFor] = ScheduleTriggerJob.Format(next);
        return payload;
    }

    public Task AppliedAsync(Trigger trigger, bool deleted, CancellationToken ct)
    {
        var id = JobId(trigger.Key);
        if (deleted || !trigger.Enabled)
        {
            recurring.RemoveIfExists(id);
            return Task.CompletedTask;
        }

        var errors = new Dictionary<string, string[]>();
        var schedule = ScheduleDefinition.TryParse(JsonNode.Parse(trigger.SettingsJson) as JsonObject ?? [], errors)
            ?? throw new InvalidOperationException($"The schedule is not valid: {string.Join(" ", errors.SelectMany(e => e.Value))}");
        var triggerId = trigger.Id;
        recurring.AddOrUpdate<ScheduleTriggerJob>(id, job => job.FireAsync(triggerId, null, CancellationToken.None), schedule.CronText,
            new RecurringJobOptions { TimeZone = schedule.Zone });
        return Task.CompletedTask;
    }
}
