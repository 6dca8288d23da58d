using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;
using AgentConsole.Engine.Tools.Calendar;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Tests.Tools.Email;
using MimeKit;

namespace AgentConsole.Tests.Tools.Calendar;

public sealed class CalendarConnectorTests : IAsyncLifetime
{
    // The test database's clock stands at 2026-11-25 09:00 UTC.
    private const string Meeting = """{"title":"Intro call, Acme; pricing","start":"2026-12-02T15:30:00+01:00","durationMinutes":45,"attendees":["dana@acme.example","ravi@globex.example"],"description":"Agenda:\n1. Needs\n2. Pricing"}""";

    private MessagingHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MessagingHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_StoresOneEvent_WhenTheSameCallIsSentTwice()
    {
        var run = Guid.NewGuid();

        var first = await _harness.CallAsync(CalendarConnector.CreateEventTool, Meeting, run, "call-4");
        var again = await _harness.CallAsync(CalendarConnector.CreateEventTool, Meeting, run, "call-4");

        Assert.True(first.Succeeded, first.Error);
        Assert.True(again.Result!["alreadyCreated"]!.GetValue<bool>());
        var row = Assert.Single(await _harness.RowsAsync<CalendarEvent>());
        Assert.Equal(run, row.RunId);
        Assert.Equal(ToolCall.Derive(run, "call-4"), row.IdempotencyKey);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 14, 30, 0, TimeSpan.Zero), row.Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 15, 15, 0, TimeSpan.Zero), row.End);
        Assert.Equal(["dana@acme.example", "ravi@globex.example"], row.AttendeeList);
    }

    [Theory]
    [InlineData("2026-12-02 15:30", "ISO 8601")]
    [InlineData("2026-12-02T15:30:00", "ISO 8601")]
    [InlineData("next Tuesday at 3", "ISO 8601")]
    [InlineData("2026-02-30T10:00:00Z", "ISO 8601")]
    [InlineData("2026-11-20T10:00:00Z", "in the past")]
    [InlineData("2031-01-01T10:00:00Z", "two years")]
    public async Task Create_RefusesTheCallWithoutAnEffect_WhenTheStartIsNotAUsableDate(string start, string says)
    {
        var outcome = await _harness.CallAsync(CalendarConnector.CreateEventTool,
            $$"""{"title":"Intro call","start":"{{start}}","durationMinutes":30}""", Guid.NewGuid());

        Assert.Equal(ToolFailureKind.InvalidArguments, outcome.Failure);
        Assert.Contains("'start'", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(says, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(await _harness.RowsAsync<CalendarEvent>());
    }

    [Theory]
    [InlineData("0", "'durationMinutes'")]
    [InlineData("2000", "'durationMinutes'")]
    [InlineData("12.5", "'durationMinutes'")]
    public async Task Create_RefusesTheCall_WhenTheDurationIsOutOfRange(string minutes, string says)
    {
        var outcome = await _harness.CallAsync(CalendarConnector.CreateEventTool,
            $$"""{"title":"Intro call","start":"2026-12-02T10:00:00Z","durationMinutes":{{minutes}}}""", Guid.NewGuid());

        Assert.Equal(ToolFailureKind.InvalidArguments, outcome.Failure);
        Assert.Contains(minutes == "12.5" ? "durationMinutes" : says, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(await _harness.RowsAsync<CalendarEvent>());
    }

    [Fact]
    public async Task Create_RefusesTheCall_WhenAnAttendeeIsNotAnAddress()
    {
        var outcome = await _harness.CallAsync(CalendarConnector.CreateEventTool,
            """{"title":"Intro call","start":"2026-12-02T10:00:00Z","durationMinutes":30,"attendees":["dana@acme.example","Ravi"]}""", Guid.NewGuid());

        Assert.Equal(ToolFailureKind.InvalidArguments, outcome.Failure);
        Assert.Contains("'attendees[1]'", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_EmailsAParseableInvitation_WhenTheConnectionIsLive()
    {
        await using var sink = await SmtpSink.StartAsync();
        await _harness.SetLiveAsync(EmailConnector.ConnectionKey, new JsonObject
        {
            ["host"] = sink.Host, ["port"] = sink.Port, ["tls"] = "none", ["from"] = "agents@console.example",
        });
        await _harness.SetLiveAsync(CalendarConnector.ConnectionKey, []);
        var run = Guid.NewGuid();

        var outcome = await _harness.CallAsync(CalendarConnector.CreateEventTool, Meeting, run, "call-5");

        Assert.True(outcome.Succeeded, outcome.Error);
        var mail = Assert.Single(await sink.WaitForMailAsync());
        Assert.Equal(["dana@acme.example", "ravi@globex.example"], mail.EnvelopeTo.Order());
        Assert.Equal("Invitation: Intro call, Acme; pricing", mail.Message.Subject);
        var part = Assert.Single(mail.Message.BodyParts.OfType<TextPart>(), p => p.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal("REQUEST", part.ContentType.Parameters["method"]);
        var calendar = Unfold(part.Text);
        Assert.Contains("METHOD:REQUEST", calendar);
        Assert.Equal(1, calendar.Count(l => l == "BEGIN:VEVENT"));
        Assert.Contains($"UID:{ToolCall.Derive(run, "call-5")}@agentconsole", calendar);
        Assert.Contains("DTSTART:20261202T143000Z", calendar);
        Assert.Contains("DTEND:20261202T151500Z", calendar);
        Assert.Contains("SUMMARY:Intro call\\, Acme\\; pricing", calendar);
        Assert.Contains("DESCRIPTION:Agenda:\\n1. Needs\\n2. Pricing", calendar);
        Assert.Contains("ORGANIZER:mailto:agents@console.example", calendar);
        Assert.Contains(calendar, l => l.StartsWith("ATTENDEE;", StringComparison.Ordinal) && l.EndsWith(":mailto:dana@acme.example", StringComparison.Ordinal));
        Assert.Contains(calendar, l => l.StartsWith("ATTENDEE;", StringComparison.Ordinal) && l.EndsWith(":mailto:ravi@globex.example", StringComparison.Ordinal));
        Assert.Empty(await _harness.RowsAsync<CalendarEvent>());
    }

    [Fact]
    public async Task Create_FailsPermanently_WhenLiveButTheEmailConnectionHasNoSmtpSettings()
    {
        await _harness.SetLiveAsync(CalendarConnector.ConnectionKey, []);

        var outcome = await _harness.CallAsync(CalendarConnector.CreateEventTool, Meeting, Guid.NewGuid());

        Assert.Equal(ToolFailureKind.Permanent, outcome.Failure);
        Assert.Contains($"Connection '{EmailConnector.ConnectionKey}'", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invite_FoldsLongLinesAt75Octets_WithoutSplittingACharacter()
    {
        var title = string.Concat(Enumerable.Repeat("Überprüfung ", 20));

        var text = CalendarInvite.Build("uid-1@agentconsole", "a@b.example", [], title, null,
            new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.Zero), DateTimeOffset.UnixEpoch);

        var physical = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(physical, l => Assert.True(System.Text.Encoding.UTF8.GetByteCount(l) <= 75, l));
        Assert.Contains($"SUMMARY:{title}", Unfold(text));
    }

    /// <summary>
    /// RFC 5545 unfolding: a line starting with a space continues the previous one. Mail transport may turn CRLF into
    /// LF (MimeKit does when it decodes a text part), so both are accepted, as calendar clients do.
    /// </summary>
    private static List<string> Unfold(string text) =>
        [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n ", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
