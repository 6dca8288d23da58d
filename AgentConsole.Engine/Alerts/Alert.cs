using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Alerts;

/// <summary>
/// One firing of one rule for one subject (an agent, a trigger, a run, or "all agents"). While the condition holds the
/// same row is updated (last value, last seen); once it no longer holds the alert resolves, and a later breach is a new
/// row. Acknowledging tells others someone is on it; it neither silences nor resolves the alert.
/// </summary>
public sealed class Alert
{
    public const int MessageMaxLength = 1_000;

    /// <summary>Sequential, so "newest first" and the history's cursor are the key itself.</summary>
    public long Id { get; private set; }

    public Guid RuleId { get; private set; }

    /// <summary>The rule's name when it fired: the history still reads well after the rule is renamed or deleted.</summary>
    public string RuleName { get; private set; } = "";

    public AlertKind Kind { get; private set; }

    /// <summary>What fired: <c>agent:{key}</c>, <c>trigger:{key}</c>, <c>run:{id}</c> or <c>all</c>.</summary>
    public string Subject { get; private set; } = "";

    public string? AgentKey { get; private set; }
    public AlertSeverity Severity { get; private set; }
    public AlertStatus Status { get; private set; }

    /// <summary>The measured value (percent, dollars, count, events) when last seen, and the threshold it crossed.</summary>
    public double Value { get; private set; }

    public double Threshold { get; private set; }

    /// <summary>The words of the last evaluation, e.g. "Error rate 35 % (7 of 20 ended runs) over 20 % in 60 min".</summary>
    public string Message { get; private set; } = "";

    public DateTimeOffset FiredAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public string? AcknowledgedBy { get; private set; }

    public bool IsFiring => Status == AlertStatus.Firing;

    internal static Alert Fire(AlertRule rule, AlertBreach breach, DateTimeOffset now) => new()
    {
        RuleId = rule.Id,
        RuleName = rule.Name,
        Kind = rule.Kind,
        Subject = breach.Subject,
        AgentKey = breach.AgentKey,
        Severity = breach.Severity,
        Status = AlertStatus.Firing,
        Value = breach.Value,
        Threshold = breach.Threshold,
        Message = Clip(breach.Message),
        FiredAt = now,
        LastSeenAt = now,
    };

    /// <summary>The condition still holds: the same alert carries the latest figures (never a second row).</summary>
    internal void Update(AlertBreach breach, DateTimeOffset now)
    {
        Guard();
        Severity = breach.Severity;
        Value = breach.Value;
        Threshold = breach.Threshold;
        Message = Clip(breach.Message);
        LastSeenAt = now;
    }

    internal void Resolve(DateTimeOffset now)
    {
        Guard();
        Status = AlertStatus.Resolved;
        ResolvedAt = now;
    }

    /// <summary>Someone is on it. Only a firing alert is acknowledged; doing it twice keeps the first.</summary>
    internal bool Acknowledge(string by, DateTimeOffset now)
    {
        Guard();
        if (AcknowledgedAt is not null)
        {
            return false;
        }

        AcknowledgedAt = now;
        AcknowledgedBy = by;
        return true;
    }

    private void Guard()
    {
        if (Status != AlertStatus.Firing)
        {
            throw new InvalidOperationException($"Alert {Id} is {Status}: only a firing alert changes.");
        }
    }

    private static string Clip(string text) => text.Length <= MessageMaxLength ? text : text[..(MessageMaxLength - 1)] + "…";
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("Alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.Property(a => a.RuleName).HasMaxLength(AlertRule.NameMaxLength).IsRequired();
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(a => a.Subject).HasMaxLength(100).IsRequired();
        builder.Property(a => a.AgentKey).HasMaxLength(64);
        builder.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Message).HasMaxLength(Alert.MessageMaxLength);
        builder.Property(a => a.AcknowledgedBy).HasMaxLength(256);
        // At most one firing alert per rule and subject, even if two evaluations overlap: the second insert fails.
        builder.HasIndex(a => new { a.RuleId, a.Subject }).IsUnique().HasFilter("\"Status\" = 'Firing'");
        builder.HasIndex(a => new { a.Status, a.Id });
        builder.HasIndex(a => new { a.AgentKey, a.Id });
    }
}
