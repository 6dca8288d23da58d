using System.Globalization;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace AgentConsole.Engine.Tools.Calendar;

/// <summary>
/// Creates calendar events. Sandbox: the event lands in the app's calendar table (the Calendar tab). Live: an
/// iCalendar invitation (METHOD:REQUEST, UID from the idempotency key) e-mailed to the attendees through the SMTP
/// settings of the e-mail connection, so a re-sent invitation updates the same event instead of adding one.
/// </summary>
public sealed partial class CalendarConnector(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    TimeProvider time,
    ILogger<CalendarConnector> logger) : IConnector
{
    public const string ConnectorKey = "calendar";
    public const string ConnectionKey = "calendar";
    public const string CreateEventTool = "calendar_create_event";
    public const int MaxTitleChars = 200;
    public const int MaxDescriptionChars = 4_000;
    public const int MaxAttendees = 20;
    public const int MinDurationMinutes = 5;
    public const int MaxDurationMinutes = 1_440;

    /// <summary>How far ahead an event may be planned; later dates are almost certainly a wrong year.</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(2 * 366);

    /// <summary>Slack for a start "now" that took a moment to reach us.</summary>
    private static readonly TimeSpan PastTolerance = TimeSpan.FromMinutes(5);

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"];

    private static readonly string[] UtcFormats =
        ["yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    public string Key => ConnectorKey;

    public string Name => "Calendar";

    // Reach is declared external because an event with attendees invites people outside the business (the most the
    // tool can do; a declaration holds for every call). Undoing one is a cancellation notice: a small cost.
    public IReadOnlyList<ToolDefinition> Tools { get; } =
    [
        new(CreateEventTool, "Create a calendar event",
            "Create a calendar event (a meeting) and invite its attendees by e-mail. The start needs a date, a time and a UTC offset.",
            $$$"""
            {"type":"object","properties":{
              "title":{"type":"string","description":"Event title","minLength":1,"maxLength":{{{MaxTitleChars}}}},
              "start":{"type":"string","description":"Start in ISO 8601 with offset, e.g. 2026-12-08T15:00:00+01:00"},
              "durationMinutes":{"type":"integer","description":"Length in minutes ({{{MinDurationMinutes}}}–{{{MaxDurationMinutes}}})"},
              "attendees":{"type":["array","null"],"description":"Attendees' e-mail addresses","items":{"type":"string"},"maxItems":{{{MaxAttendees}}}},
              "description":{"type":["string","null"],"description":"Agenda or notes","maxLength":{{{MaxDescriptionChars}}}}},
             "required":["title","start","durationMinutes"]}
            """,
            ToolAccess.Write, ToolReach.External, Reversible: true, CostToUndoUsd: 10, ConnectorKey, ConnectionKey) { Idempotent = true, IdempotentWhenLive = false },
    ];

    public async Task<JsonNode?> InvokeAsync(ToolCall toolCall, CancellationToken ct)
    {
        if (toolCall.Tool.Key != CreateEventTool)
        {
            throw new ToolCallException(ToolFailureKind.Permanent, $"The calendar connector has no tool '{toolCall.Tool.Key}'.");
        }

        var now = time.GetUtcNow();
        var title = toolCall.RequiredText("title");
        var start = ParseStart(toolCall.RequiredText("start"), now);
        var duration = Duration(toolCall.Arguments["durationMinutes"]);
        var attendees = Attendees(toolCall.Arguments["attendees"]);
        var description = toolCall.Text("description");
        var end = start.AddMinutes(duration);
        var uid = UidFor(toolCall.IdempotencyKey);

        if (toolCall.Connection.Mode == ConnectionMode.Live)
        {
            var email = await toolCall.Services.GetRequiredService<ConnectionStore>().SnapshotAsync(EmailConnector.ConnectionKey, ct);
            var settings = SmtpSettings.Read(email);
            // Without attendees the invitation goes to the organiser, so the event still lands in a calendar.
            var recipients = attendees.Count > 0 ? attendees : [settings.From];
            var ics = CalendarInvite.Build(uid, settings.From, attendees, title, description, start, end, now);
            using var message = EmailConnector.Compose(settings.From, recipients, null, $"Invitation: {title}",
                EmailConnector.MessageIdFor(toolCall.IdempotencyKey, settings.Domain), toolCall.IdempotencyKey);
            var calendarPart = new TextPart("calendar") { Text = ics };
            calendarPart.ContentType.Charset = "utf-8";
            calendarPart.ContentType.Parameters.Add("method", "REQUEST");
            message.Body = new MultipartAlternative
            {
                new TextPart("plain") { Text = Summary(title, start, duration, description) },
                calendarPart,
            };
            await SmtpSender.SendAsync(settings, message, ct);
            Log.Invited(logger, toolCall.CallId, recipients.Count, settings.Host, settings.Port);
            return Result("invitation sent", uid, start, end, attendees, repeated: false);
        }

        var (row, repeated) = await SandboxEffects.RecordOnceAsync(dbFactory, new CalendarEvent
        {
            RunId = SandboxEffects.RunOf(toolCall),
            AgentKey = toolCall.AgentKey,
            CallId = toolCall.CallId,
            IdempotencyKey = toolCall.IdempotencyKey,
            Uid = uid,
            Title = title,
            Start = start,
            DurationMinutes = duration,
            End = end,
            Attendees = string.Join(',', attendees),
            Description = description,
            CreatedAt = now,
        }, ct);
        return Result("created in the sandbox calendar", row.Uid, row.Start, row.End, row.AttendeeList, repeated);
    }

    /// <summary>An attendee at an account the CRM marks high-stakes makes this invitation costlier to undo.</summary>
    public ValueTask<CallStakes?> AssessAsync(ToolCall toolCall, CancellationToken ct) =>
        RecipientStakes.HighestAsync(toolCall.Services,
            toolCall.Arguments["attendees"] is JsonArray list ? list.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : "") : [], ct);

    public Task<ConnectionHealth> CheckAsync(ConnectionSnapshot connection, CancellationToken ct) =>
        Task.FromResult(connection.Mode == ConnectionMode.Sandbox
            ? ConnectionHealth.Healthy("Sandbox: events land in the app's calendar, nobody is invited.")
            : ConnectionHealth.Healthy("Live: invitations are e-mailed through the e-mail connection's SMTP settings."));

    public static string UidFor(string idempotencyKey) => $"{idempotencyKey}@agentconsole";

    /// <summary>An ISO 8601 date and time with an explicit offset (or Z); anything else is refused, never guessed.</summary>
    public static DateTimeOffset ParseStart(string text, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && !DateTimeOffset.TryParseExact(text, UtcFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments,
                "'start' must be an ISO 8601 date and time with a UTC offset, e.g. 2026-12-08T15:00:00+01:00 or 2026-12-08T14:00:00Z.");
        }

        if (start < now - PastTolerance)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments,
                $"'start' is in the past; it is now {now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)}.");
        }

        if (start > now + MaxLeadTime)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, "'start' is more than two years ahead; check the year.");
        }

        return start;
    }

    private static int Duration(JsonNode? node)
    {
        var minutes = node is JsonValue v && v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= MinDurationMinutes and <= MaxDurationMinutes
            ? (int)d
            : (int?)null;
        return minutes ?? throw new ToolCallException(ToolFailureKind.InvalidArguments,
            $"'durationMinutes' must be a whole number of minutes from {MinDurationMinutes} to {MaxDurationMinutes}.");
    }

    private static List<string> Attendees(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray list || list.Count > MaxAttendees)
        {
            throw new ToolCallException(ToolFailureKind.InvalidArguments, $"'attendees' must be a list of at most {MaxAttendees} e-mail addresses.");
        }

        var attendees = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var text = list[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var address = EmailAddresses.Require(text, $"attendees[{i}]");
            if (!attendees.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                attendees.Add(address);
            }
        }

        return attendees;
    }

    private static string Summary(string title, DateTimeOffset start, int duration, string? description) =>
        $"{title}\n{start.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)}, {duration} minutes\n\n{description}".TrimEnd();

    private static JsonObject Result(string status, string uid, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string> attendees, bool repeated) => new()
    {
        ["status"] = status,
        ["uid"] = uid,
        ["start"] = start.ToString("O", CultureInfo.InvariantCulture),
        ["end"] = end.ToString("O", CultureInfo.InvariantCulture),
        ["attendees"] = new JsonArray([.. attendees.Select(a => (JsonNode?)JsonValue.Create(a))]),
        ["alreadyCreated"] = repeated,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Invitation of call {CallId} to {Recipients} recipient(s) handed to SMTP server {Host}:{Port}")]
        public static partial void Invited(ILogger logger, string callId, int recipients, string host, int port);
    }
}
