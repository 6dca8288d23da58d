using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Persistence;

/// <summary>The application database: Identity's tables plus the engine's. Entity mapping lives in each feature folder.</summary>
public sealed class AgentConsoleDbContext(DbContextOptions<AgentConsoleDbContext> options)
    : IdentityDbContext<AppUser>(options), Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditOutboxEntry> AuditOutbox => Set<AuditOutboxEntry>();
    public DbSet<AuditQuarantineEntry> AuditQuarantine => Set<AuditQuarantineEntry>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunStep> RunSteps => Set<RunStep>();
    public DbSet<Escalation> Escalations => Set<Escalation>();
    public DbSet<Tools.ToolConnection> ToolConnections => Set<Tools.ToolConnection>();
    public DbSet<Triggers.Trigger> Triggers => Set<Triggers.Trigger>();
    public DbSet<Triggers.TriggerEvent> TriggerEvents => Set<Triggers.TriggerEvent>();
    public DbSet<Notifications.NotificationChannel> NotificationChannels => Set<Notifications.NotificationChannel>();
    public DbSet<Notifications.NotificationDelivery> NotificationDeliveries => Set<Notifications.NotificationDelivery>();
    public DbSet<Monitoring.RunRollup> RunRollups => Set<Monitoring.RunRollup>();
    public DbSet<Monitoring.RunDurationRollup> RunDurationRollups => Set<Monitoring.RunDurationRollup>();
    public DbSet<Monitoring.RunRollupDelta> RunRollupDeltas => Set<Monitoring.RunRollupDelta>();
    public DbSet<Monitoring.RunDurationDay> RunDurationDays => Set<Monitoring.RunDurationDay>();
    public DbSet<Alerts.AlertRule> AlertRules => Set<Alerts.AlertRule>();
    public DbSet<Alerts.Alert> Alerts => Set<Alerts.Alert>();
    public DbSet<Prompts.PromptVersion> PromptVersions => Set<Prompts.PromptVersion>();
    public DbSet<Evaluations.TestSet> TestSets => Set<Evaluations.TestSet>();
    public DbSet<Evaluations.TestCase> TestCases => Set<Evaluations.TestCase>();
    public DbSet<Evaluations.Evaluation> Evaluations => Set<Evaluations.Evaluation>();
    public DbSet<Evaluations.EvaluationCase> EvaluationCases => Set<Evaluations.EvaluationCase>();

    /// <summary>The data-protection key ring on PostgreSQL, shared by every instance (SQLite keeps it in a folder).</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys =>
        Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    /// <summary>
    /// Set when an audit entry was added since the last save, so the save wakes the sealer without scanning the change
    /// tracker (asking it for entries runs change detection over everything tracked, on every save).
    /// </summary>
    internal bool AuditRecorded { get; set; }

    /// <summary>The rollup deltas the save in progress adds (see <c>RunRollupInterceptor</c>): woken on success, detached on failure.</summary>
    internal List<Monitoring.RunRollupDelta>? PendingRollupDeltas { get; set; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AgentConsoleDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // UTC ticks on every provider: SQLite has no offset type, and on PostgreSQL timestamptz accepts only offset-zero
        // values, while filters arrive in any offset. Ticks keep ORDER BY and range filters in SQL and correct for
        // parameters in any offset, and the audit chain's own SQL reads the same encoding on both (the UtcTimestamps
        // migration converted SQLite's earlier local-ticks encoding).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}
