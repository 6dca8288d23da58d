using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>A follow-up on a lead. Created by an agent, it carries the call's idempotency key (one task per call).</summary>
public sealed class CrmTask
{
    public int Id { get; set; }
    public int LeadId { get; set; }
    public string Title { get; set; } = "";
    public DateOnly? DueDate { get; set; }
    public string? Assignee { get; set; }
    public bool Done { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public Guid? RunId { get; set; }
    public string? CallId { get; set; }
    public string? IdempotencyKey { get; set; }
}

internal sealed class CrmTaskConfiguration : IEntityTypeConfiguration<CrmTask>
{
    public void Configure(EntityTypeBuilder<CrmTask> builder)
    {
        builder.ToTable("CrmTasks");
        builder.Property(t => t.Title).HasMaxLength(300).IsRequired();
        builder.Property(t => t.Assignee).HasMaxLength(100);
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
        builder.Property(t => t.CallId).HasMaxLength(200);
        builder.Property(t => t.IdempotencyKey).HasMaxLength(100);
        builder.HasIndex(t => t.IdempotencyKey).IsUnique();
        builder.HasIndex(t => t.LeadId);
        builder.HasIndex(t => t.RunId);
        builder.HasOne<CrmLead>().WithMany().HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}
