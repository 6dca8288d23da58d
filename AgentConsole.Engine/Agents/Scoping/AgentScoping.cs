using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>
/// An agent's scoping data (the practice guide's one-page scoping doc in numbers): the manual baseline the workflow
/// costs today and the start of its 30-day pilot. One row per agent, absent until someone records it.
/// </summary>
public sealed class AgentScoping
{
    public string AgentKey { get; set; } = "";

    /// <summary>Loaded hourly rate of the people doing the work today, in USD.</summary>
    public decimal HourlyRateUsd { get; set; }

    /// <summary>Hours per week spent on the workflow today.</summary>
    public decimal HoursPerWeek { get; set; }

    /// <summary>Expected cases per week.</summary>
    public int WeeklyVolume { get; set; }

    /// <summary>Overrides the derived hours × 60 / volume.</summary>
    public decimal? ManualMinutesPerCase { get; set; }

    /// <summary>Overrides <see cref="ScopingRules.DefaultReviewMinutesPerEscalation"/>.</summary>
    public decimal? ReviewMinutesPerEscalation { get; set; }

    /// <summary>First day (UTC) of the 30-day pilot; null while no pilot is planned.</summary>
    public DateOnly? PilotStart { get; set; }

    public string? Notes { get; set; }

    public int Revision { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

internal sealed class AgentScopingConfiguration : IEntityTypeConfiguration<AgentScoping>
{
    public void Configure(EntityTypeBuilder<AgentScoping> builder)
    {
        builder.ToTable("AgentScopings");
        builder.HasKey(s => s.AgentKey);
        builder.Property(s => s.AgentKey).HasMaxLength(AgentRules.KeyMaxLength);
        builder.Property(s => s.HourlyRateUsd).HasPrecision(12, 2);
        builder.Property(s => s.HoursPerWeek).HasPrecision(6, 2);
        builder.Property(s => s.ManualMinutesPerCase).HasPrecision(10, 2);
        builder.Property(s => s.ReviewMinutesPerEscalation).HasPrecision(10, 2);
        builder.Property(s => s.Notes).HasMaxLength(ScopingRules.NotesMaxLength);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
        builder.Property(s => s.Revision).IsConcurrencyToken();
    }
}
