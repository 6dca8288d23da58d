namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>Bounds of the scoping data and its validator; error keys are the camelCase names the API and the form use.</summary>
public static class ScopingRules
{
    public const decimal DefaultReviewMinutesPerEscalation = 10m;
    public const decimal MaxHourlyRateUsd = 10_000m;
    public const decimal HoursInAWeek = 168m;
    public const int MaxWeeklyVolume = 1_000_000;
    public const decimal MaxMinutesPerCase = 10_080m;
    public const decimal MaxReviewMinutes = 1_440m;
    public const int NotesMaxLength = 4_000;
    public static readonly DateOnly EarliestPilotStart = new(2000, 1, 1);

    public static Dictionary<string, string[]> Validate(ScopingDraft draft, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];

        if (draft.HourlyRateUsd is not { } rate)
        {
            Add("hourlyRateUsd", "Enter the loaded hourly rate in USD.");
        }
        else if (rate <= 0 || rate > MaxHourlyRateUsd)
        {
            Add("hourlyRateUsd", $"The hourly rate must be more than $0 and at most ${MaxHourlyRateUsd:N0}.");
        }

        if (draft.HoursPerWeek is not { } hours)
        {
            Add("hoursPerWeek", "Enter the hours per week the workflow takes today.");
        }
        else if (hours <= 0 || hours > HoursInAWeek)
        {
            Add("hoursPerWeek", $"Hours per week must be more than 0 and at most {HoursInAWeek:0} (a week has 168 hours).");
        }

        if (draft.WeeklyVolume is not { } volume)
        {
            Add("weeklyVolume", "Enter the expected number of cases per week.");
        }
        else if (volume < 1 || volume > MaxWeeklyVolume)
        {
            Add("weeklyVolume", $"The weekly volume must be at least 1 case and at most {MaxWeeklyVolume:N0}.");
        }

        if (draft.ManualMinutesPerCase is { } minutes && (minutes <= 0 || minutes > MaxMinutesPerCase))
        {
            Add("manualMinutesPerCase", $"Manual minutes per case must be more than 0 and at most {MaxMinutesPerCase:N0} (a week); leave it empty to derive it.");
        }

        if (draft.ReviewMinutesPerEscalation is { } review && (review < 0 || review > MaxReviewMinutes))
        {
            Add("reviewMinutesPerEscalation", $"Review minutes per escalation must be between 0 and {MaxReviewMinutes:N0}; leave it empty for {DefaultReviewMinutesPerEscalation:0}.");
        }

        if (draft.PilotStart is { } start && (start < EarliestPilotStart || start > today.AddYears(1)))
        {
            Add("pilotStart", $"The pilot start must be between {EarliestPilotStart:yyyy-MM-dd} and a year from today.");
        }

        if ((draft.Notes?.Length ?? 0) > NotesMaxLength)
        {
            Add("notes", $"Notes must be at most {NotesMaxLength:N0} characters.");
        }

        return errors;
    }
}
