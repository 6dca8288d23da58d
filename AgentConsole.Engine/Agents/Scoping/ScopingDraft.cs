namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>The editable scoping data, as the agent page's form and <c>PUT /api/v1/agents/{key}/scoping</c> carry it.</summary>
public sealed class ScopingDraft
{
    public decimal? HourlyRateUsd { get; set; }
    public decimal? HoursPerWeek { get; set; }
    public int? WeeklyVolume { get; set; }

    /// <summary>Empty: derived as hours per week × 60 / weekly volume.</summary>
    public decimal? ManualMinutesPerCase { get; set; }

    /// <summary>Empty: <see cref="ScopingRules.DefaultReviewMinutesPerEscalation"/>.</summary>
    public decimal? ReviewMinutesPerEscalation { get; set; }

    public DateOnly? PilotStart { get; set; }
    public string? Notes { get; set; }

    public static ScopingDraft From(AgentScoping? scoping) => scoping is null ? new() : new()
    {
        HourlyRateUsd = scoping.HourlyRateUsd,
        HoursPerWeek = scoping.HoursPerWeek,
        WeeklyVolume = scoping.WeeklyVolume,
        ManualMinutesPerCase = scoping.ManualMinutesPerCase,
        ReviewMinutesPerEscalation = scoping.ReviewMinutesPerEscalation,
        PilotStart = scoping.PilotStart,
        Notes = scoping.Notes,
    };
}
