using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>A person who may buy, in the sandbox CRM.</summary>
public sealed class CrmLead
{
    public const int NotesMaxLength = 4000;

    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Lower case and unique: agents find a lead by the address the form gave.</summary>
    public string Email { get; set; } = "";

    public int? CompanyId { get; set; }
    public CrmCompany? Company { get; set; }

    /// <summary>The company as the lead wrote it, kept when no account matches.</summary>
    public string CompanyName { get; set; } = "";

    public CrmLeadStatus Status { get; set; } = CrmLeadStatus.New;
    public string? Route { get; set; }
    public string? Owner { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
    public int Revision { get; set; }

    public string LeadId => CrmIds.Lead(Id);
}

internal sealed class CrmLeadConfiguration : IEntityTypeConfiguration<CrmLead>
{
    public void Configure(EntityTypeBuilder<CrmLead> builder)
    {
        builder.ToTable("CrmLeads");
        builder.Property(l => l.Name).HasMaxLength(200).IsRequired();
        builder.Property(l => l.Email).HasMaxLength(320).IsRequired();
        builder.HasIndex(l => l.Email).IsUnique();
        builder.Property(l => l.CompanyName).HasMaxLength(CrmCompany.NameMaxLength).IsRequired();
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(l => l.Status);
        builder.Property(l => l.Route).HasMaxLength(100);
        builder.Property(l => l.Owner).HasMaxLength(100);
        builder.Property(l => l.Notes).HasMaxLength(CrmLead.NotesMaxLength);
        builder.Property(l => l.UpdatedBy).HasMaxLength(256);
        builder.Property(l => l.Revision).IsConcurrencyToken();
        builder.HasOne(l => l.Company).WithMany().HasForeignKey(l => l.CompanyId).OnDelete(DeleteBehavior.SetNull);
        builder.Ignore(l => l.LeadId);
    }
}
