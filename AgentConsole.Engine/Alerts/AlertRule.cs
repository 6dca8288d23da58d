using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// A condition worth paging someone about. <see cref="AgentKey"/> null = every agent, each checked on its own (daily
/// spend may instead add them up, see <see cref="AlertParameters.AllAgentsTogether"/>). Admins and Owners edit rules.
/// </summary>
public sealed class AlertRule
{
    public const int NameMaxLength = 100;
    public const int ErrorMaxLength = 1_000;

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public AlertKind Kind { get; set; }
    public string? AgentKey { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>The kind's thresholds (<see cref="AlertParameters"/> as JSON).</summary>
    public string ParametersJson { get; set; } = "{}";

    /// <summary>Notification channel keys, comma-separated; empty = every enabled channel.</summary>
    public string Channels { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    /// <summary>When the evaluator last checked this rule without error.</summary>
    public DateTimeOffset? LastEvaluatedAt { get; set; }

    /// <summary>Why the last evaluation of this rule failed (cleared by the next good one); the job went on with the others.</summary>
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }

    public AlertParameters Parameters => AlertParameters.FromJson(ParametersJson);

    public IReadOnlyList<string> ChannelKeys => Channels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> builder)
    {
        builder.ToTable("AlertRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(AlertRule.NameMaxLength).IsRequired();
        builder.HasIndex(r => r.Name).IsUnique();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.AgentKey).HasMaxLength(64);
        builder.Property(r => r.ParametersJson).HasMaxLength(4_000).IsRequired();
        builder.Property(r => r.Channels).HasMaxLength(2_000).IsRequired();
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.Property(r => r.UpdatedBy).HasMaxLength(256);
        builder.Property(r => r.LastError).HasMaxLength(AlertRule.ErrorMaxLength);
    }
}
