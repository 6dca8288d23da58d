using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Evaluations;

/// <summary>An agent's named set of test cases with known-correct outcomes; one per agent is its default.</summary>
public sealed class TestSet
{
    public Guid Id { get; set; }
    public string AgentKey { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The set evaluations use when none is named.</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    public List<TestCase> Cases { get; set; } = [];
}

internal sealed class TestSetConfiguration : IEntityTypeConfiguration<TestSet>
{
    public void Configure(EntityTypeBuilder<TestSet> builder)
    {
        builder.ToTable("TestSets");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.AgentKey).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Name).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Description).HasMaxLength(2000);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(s => new { s.AgentKey, s.Name }).IsUnique();
        builder.HasMany(s => s.Cases).WithOne().HasForeignKey(c => c.TestSetId).OnDelete(DeleteBehavior.Cascade);
    }
}
