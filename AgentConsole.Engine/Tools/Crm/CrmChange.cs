using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// One write to the sandbox CRM, by an agent's tool call or a person. An agent's write carries the call's
/// idempotency key (UNIQUE): a call sent again after a crash finds its row and returns the stored result instead of
/// writing twice. The benchmark counts these rows against the run journal.
/// </summary>
public sealed class CrmChange
{
    public long Id { get; set; }
    public CrmChangeKind Kind { get; set; }
    public int? LeadId { get; set; }
    public int? CompanyId { get; set; }

    /// <summary>For people: "route: (none) → Mid-market sequence; owner: …".</summary>
    public string Summary { get; set; } = "";

    /// <summary>What the tool answered, returned as is when the same call comes again.</summary>
    public string? ResultJson { get; set; }

    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public string? AgentKey { get; set; }
    public string? Tool { get; set; }
    public Guid? RunId { get; set; }
    public string? CallId { get; set; }
    public string? IdempotencyKey { get; set; }
}

internal sealed class CrmChangeConfiguration : IEntityTypeConfiguration<CrmChange>
{
    public void Configure(EntityTypeBuilder<CrmChange> builder)
    {
        builder.ToTable("CrmChanges");
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.Summary).HasMaxLength(2000).IsRequired();
        builder.Property(c => c.Actor).HasMaxLength(256);
        builder.Property(c => c.AgentKey).HasMaxLength(64);
        builder.Property(c => c.Tool).HasMaxLength(64);
        builder.Property(c => c.CallId).HasMaxLength(200);
        builder.Property(c => c.IdempotencyKey).HasMaxLength(100);
        builder.HasIndex(c => c.IdempotencyKey).IsUnique();
        builder.HasIndex(c => new { c.LeadId, c.At });
        builder.HasIndex(c => c.RunId);
    }
}
