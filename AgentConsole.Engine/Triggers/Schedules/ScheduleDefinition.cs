using System.Text.Json.Nodes;
using Cronos;

namespace AgentConsole.Engine.Triggers.Schedules;

/// <summary>A schedule trigger's settings, parsed: the cron expression, the zone it is read in and the fixed payload.</summary>
public sealed record ScheduleDefinition(string CronText, CronExpression Cron, TimeZoneInfo Zone, JsonObject Payload)
{
    public const string DefaultTimeZone = "UTC";

    /// <summary>The schedule, or null with the reasons added to <paramref name="errors"/> (keyed <c>settings.{name}</c>).</summary>
    public static ScheduleDefinition? TryParse(JsonObject settings, IDictionary<string, string[]> errors)
    {
        var cronText = settings["cron"] is JsonValue c && c.TryGetValue<string>(out var cronValue) ? cronValue.Trim() : "";
        CronExpression? cron = null;
        var parts = cronText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is not (5 or 6))
        {
            errors["settings.cron"] = ["A cron expression has 5 fields (minute hour day-of-month month day-of-week, e.g. \"0 9 * * MON-FRI\") or 6 with seconds first."];
        }
        else
        {
            cronText = string.Join(' ', parts);
            try
            {
                cron = CronExpression.Parse(cronText, parts.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            }
            catch (CronFormatException ex)
            {
                errors["settings.cron"] = [$"'{cronText}' is not a valid cron expression: {ex.Message}"];
            }
        }

        var zoneId = settings["timeZone"] is JsonValue z && z.TryGetValue<string>(out var zoneValue) && !string.IsNullOrWhiteSpace(zoneValue)
            ? zoneValue.Trim()
            : DefaultTimeZone;
        TimeZoneInfo? zone = null;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors["settings.timeZone"] = [$"'{zoneId}' is not a known time zone; use an IANA id such as Europe/Berlin or America/New_York."];
        }

        var payload = new JsonObject();
        switch (settings["payload"])
        {
            case null:
                break;
            case JsonObject given:
                payload = given.DeepClone().AsObject();
                break;
            default:
                errors["settings.payload"] = ["The payload is a JSON object, e.g. {\"report\": \"weekly\"}."];
                break;
        }

        return cron is null || zone is null || errors.ContainsKey("settings.payload") ? null : new ScheduleDefinition(cronText, cron, zone, payload);
    }

    /// <summary>The next occurrences after <paramref name="from"/>, in the schedule's zone.</summary>
    public IEnumerable<DateTimeOffset> Next(DateTimeOffset from, int count)
    {
        var at = from;
        for (var i = 0; i < count; i++)
        {
            if (Cron.GetNextOccurrence(at, Zone) is not { } next)
            {
                yield break;
            }

            yield return next;
            at = next;
        }
    }

    /// <summary>
    /// The occurrence a job created at <paramref name="createdAt"/> fires for: the latest one at most
    /// <paramref name="tolerance"/> earlier (Hangfire creates the job once the occurrence is due, a little late under
    /// load); null when there is none, as for a job someone started by hand.
    /// </summary>
    public DateTimeOffset? OccurrenceAt(DateTimeOffset createdAt, TimeSpan tolerance) =>
        Cron.GetOccurrences(createdAt - tolerance, createdAt, Zone, fromInclusive: true, toInclusive: true)
            .Select(o => (DateTimeOffset?)o)
            .LastOrDefault();
}
