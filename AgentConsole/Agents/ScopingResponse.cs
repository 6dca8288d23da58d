using AgentConsole.Engine.Agents.Scoping;

namespace AgentConsole.Agents;

/// <summary>An agent's scoping data as the API returns it, with the baseline it gives; <c>configured</c> is false until someone saves it.</summary>
public sealed record ScopingResponse(
    string AgentKey,
    bool Configured,
    decimal? HourlyRateUsd,
    decimal? HoursPerWeek,
    int? WeeklyVolume,
    decimal? ManualMinutesPerCase,
    decimal? ReviewMinutesPerEscalation,
    DateOnly? PilotStart,
    string? Notes,
    int Revision,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy,
    ManualBaseline? Baseline)
{
    public static ScopingResponse From(string agentKey, AgentScoping? s) => s is null
        ? new(agentKey, false, null, null, null, null, null, null, null, 0, null, null, null)
        : new(s.AgentKey, true, s.HourlyRateUsd, s.HoursPerWeek, s.WeeklyVolume, s.ManualMinutesPerCase, s.ReviewMinutesPerEscalation,
            s.PilotStart, s.Notes, s.Revision, s.UpdatedAt, s.UpdatedBy, PilotEvaluation.Baseline(s));
}
