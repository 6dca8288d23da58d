using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>One step of a lead's status history.</summary>
public sealed class CrmStatusChange
{
    public long Id { get; set; }
    public int LeadId { get; set; }
    public CrmLeadStatus? From { get; set; }
    public CrmLeadStatus To { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public Guid? RunId { get; set; }
    public string? CallId { get; set; }
    public string? IdempotencyKey { get; set; }
}

internal sealed class CrmStatusChangeConfiguration : IEntityTypeConfiguration<CrmStatusChange>
{
    public void Configure(EntityTypeBuilder<CrmStatusChange> builder)
    {
        builder.ToTable("CrmStatusHistory");
        builder.Property(s => s.From).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.To).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Reason).HasMaxLength(1000);
        builder.Property(s => s.Actor).HasMaxLength(256);
        builder.Property(s => s.CallId).HasMaxLength(200);
        builder.Property(s => s.IdempotencyKey).HasMaxLength(100);
        builder.HasIndex(s => s.IdempotencyKey).IsUnique();
        builder.HasIndex(s => new { s.LeadId, s.At });
        builder.HasOne<CrmLead>().WithMany().HasForeignKey(s => s.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
