using AgentConsole.Engine.Tools.Email;
using AgentConsole.Engine.Tools.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Calendar;

/// <summary>An event the sandbox calendar connection created: it stays in the app and shows on the Calendar tab.</summary>
public sealed class CalendarEvent : ISandboxEffect
{
    public long Id { get; set; }
    public Guid? RunId { get; set; }
    public string AgentKey { get; set; } = "";
    public string CallId { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";

    /// <summary>The iCalendar UID the live connection would send (derived from the idempotency key).</summary>
    public string Uid { get; set; } = "";

    public string Title { get; set; } = "";
    public DateTimeOffset Start { get; set; }
    public int DurationMinutes { get; set; }

    /// <summary>Start plus duration, stored so "not over yet" is a range filter in SQL.</summary>
    public DateTimeOffset End { get; set; }

    /// <summary>Attendee addresses, comma-separated; empty for an event only in the organiser's calendar.</summary>
    public string Attendees { get; set; } = "";

    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public IReadOnlyList<string> AttendeeList => Attendees.Length == 0 ? [] : Attendees.Split(',');
}

internal sealed class CalendarEventConfiguration : IEntityTypeConfiguration<CalendarEvent>
{
    public void Configure(EntityTypeBuilder<CalendarEvent> builder)
    {
        SandboxEffects.ConfigureEffect(builder, "SandboxCalendarEvents");
        builder.HasIndex(e => e.Start);
        builder.HasIndex(e => e.End);
        builder.Property(e => e.Uid).HasMaxLength(SandboxEffects.KeyMaxLength + 40);
        builder.Property(e => e.Title).HasMaxLength(CalendarConnector.MaxTitleChars);
        builder.Property(e => e.Attendees).HasMaxLength((EmailAddresses.MaxLength + 1) * CalendarConnector.MaxAttendees);
        builder.Ignore(e => e.AttendeeList);
    }
}
