using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Agents;

public enum AgentStatus
{
    Draft,
    Pilot,
    Live,
    Paused,
}

/// <summary>The practice guide's autonomy progression; the level caps which tools run without approval.</summary>
public enum AutonomyLevel
{
    ReadOnlyResearch,
    InternalNotifications,
    InternalRecordUpdates,
    ExternalLowStakes,
    ExternalHighStakesWithReview,
    FullyAutonomous,
}

public enum InputFieldType
{
    Text,
    Number,
    Boolean,
    Date,
    DateTime,
}

/// <summary>A field the agent expects in its trigger input.</summary>
public sealed class AgentInputField
{
    public string Name { get; set; } = "";
    public InputFieldType Type { get; set; } = InputFieldType.Text;
    public bool Required { get; set; }
    public string? Description { get; set; }
}

/// <summary>
/// A decision output the engine enforces without asking the model: when decision <see cref="Decision"/> gives
/// <see cref="Value"/> (for output <see cref="Output"/>, or its only output), the run escalates to a person.
/// </summary>
public sealed class EngineRoute
{
    public string Decision { get; set; } = "";
    public string? Output { get; set; }
    public string Value { get; set; } = "";
}

/// <summary>An agent-specific kind of sensitive value, redacted before any model call (e.g. ORDER_ID).</summary>
public sealed class AgentRedactionPattern
{
    public string Name { get; set; } = "";
    public string Pattern { get; set; } = "";
}

/// <summary>An agent definition: what it is for, how far it may act alone, and its framework-level limits.</summary>
public sealed class Agent
{
    public Guid Id { get; set; }

    /// <summary>URL-safe, immutable identifier used by the API and triggers.</summary>
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";
    public string Purpose { get; set; } = "";
    public AgentStatus Status { get; set; }
    public AutonomyLevel AutonomyLevel { get; set; }
    public int MaxSteps { get; set; }
    public decimal BudgetPerRunUsd { get; set; }
    public int WallClockLimitSeconds { get; set; }

    /// <summary>Model provider name; null uses the configured default.</summary>
    public string? Model { get; set; }

    public List<AgentInputField> InputFields { get; set; } = [];

    /// <summary>Granted tools with their scope, in the order of the common path.</summary>
    public List<Tools.ToolGrant> Tools { get; set; } = [];

    public List<EngineRoute> EngineRoutes { get; set; } = [];

    public List<AgentRedactionPattern> RedactionPatterns { get; set; } = [];

    /// <summary>The agent's escalation policy (stored as one JSON column).</summary>
    public Escalations.EscalationPolicy Escalation { get; set; } = new();

    /// <summary>
    /// The pass rate an evaluation of a prompt or decision version must reach before that version may be published
    /// (the practice guide's publish gate; an Admin may override it with a written reason).
    /// </summary>
    public double PublishThreshold { get; set; } = DefaultPublishThreshold;

    public const double DefaultPublishThreshold = 0.95;

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    /// <summary>Incremented on every save; guards against two editors overwriting each other.</summary>
    public int Revision { get; set; }
}

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.ToTable("Agents");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Key).HasMaxLength(AgentRules.KeyMaxLength).IsRequired();
        builder.HasIndex(a => a.Key).IsUnique();
        builder.Property(a => a.Name).HasMaxLength(AgentRules.NameMaxLength).IsRequired();
        builder.Property(a => a.Purpose).HasMaxLength(AgentRules.PurposeMaxLength);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.AutonomyLevel).HasConversion<string>().HasMaxLength(40);
        builder.Property(a => a.BudgetPerRunUsd).HasPrecision(10, 4);
        builder.Property(a => a.Model).HasMaxLength(AgentRules.ModelMaxLength);
        builder.Property(a => a.CreatedBy).HasMaxLength(256);
        builder.Property(a => a.UpdatedBy).HasMaxLength(256);
        builder.Property(a => a.Revision).IsConcurrencyToken();
        builder.Property(a => a.PublishThreshold).HasDefaultValue(Agent.DefaultPublishThreshold).HasSentinel(-1d);
        builder.OwnsMany(a => a.InputFields, fields =>
        {
            fields.ToJson();
            fields.Property(f => f.Type).HasConversion<string>();
        });
        builder.OwnsMany(a => a.Tools, grants =>
        {
            grants.ToJson("ToolGrants");
            grants.Property(g => g.Scope).HasConversion<string>();
        });
        builder.OwnsMany(a => a.EngineRoutes, routes => routes.ToJson());
        builder.OwnsMany(a => a.RedactionPatterns, patterns => patterns.ToJson());
        // A plain JSON column with a converter: rows from before the policy existed read "{}" as the defaults.
        builder.Property(a => a.Escalation).HasColumnName("EscalationPolicy")
            .HasConversion(
                v => Escalations.EscalationPolicy.Serialize(v),
                s => Escalations.EscalationPolicy.Deserialize(s),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Escalations.EscalationPolicy>(
                    (a, b) => Escalations.EscalationPolicy.Serialize(a!) == Escalations.EscalationPolicy.Serialize(b!),
                    v => Escalations.EscalationPolicy.Serialize(v).GetHashCode(StringComparison.Ordinal),
                    v => v.Clone()))
            .HasDefaultValue(new Escalations.EscalationPolicy())
            .IsRequired();
    }
}
