using System.Globalization;
using System.Text;

namespace AgentConsole.Engine.Tools.Calendar;

/// <summary>
/// An iCalendar (RFC 5545) invitation: one VEVENT in a METHOD:REQUEST calendar, times in UTC, text escaped and lines
/// folded at 75 octets as the RFC requires, so mail clients offer "accept / decline".
/// </summary>
public static class CalendarInvite
{
    public const string ProductId = "-//AgentConsole//Calendar connector//EN";

    public static string Build(
        string uid, string organizer, IReadOnlyList<string> attendees, string title, string? description,
        DateTimeOffset start, DateTimeOffset end, DateTimeOffset stamp)
    {
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            $"PRODID:{ProductId}",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            $"UID:{Escape(uid)}",
            $"DTSTAMP:{Utc(stamp)}",
            $"DTSTART:{Utc(start)}",
            $"DTEND:{Utc(end)}",
            $"SUMMARY:{Escape(title)}",
        };
        if (!string.IsNullOrWhiteSpace(description))
        {
            lines.Add($"DESCRIPTION:{Escape(description)}");
        }

        lines.Add($"ORGANIZER:mailto:{organizer}");
        lines.AddRange(attendees.Select(a => $"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{a}"));
        lines.AddRange(["SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]);

        var text = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(text, line);
        }

        return text.ToString();
    }

    /// <summary>RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values.</summary>
    public static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\n", StringComparison.Ordinal);

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF and one space, never inside a character.</summary>
    private static void Fold(StringBuilder text, string line)
    {
        var octets = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                text.Append("\r\n ");
                octets = 1;
                limit = 75;
            }

            text.Append(rune.ToString());
            octets += size;
        }

        text.Append("\r\n");
    }
}
