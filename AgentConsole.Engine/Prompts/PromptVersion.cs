using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Prompts;

/// <summary>
/// One version of an agent's system prompt. Versions are numbered per agent; the published one is what production
/// runs use, and every run records the version it ran under (<see cref="Runs.Run.PromptVersionId"/>).
/// </summary>
public sealed class PromptVersion
{
    public Guid Id { get; set; }
    public string AgentKey { get; set; } = "";
    public int Number { get; set; }
    public PromptVersionStatus Status { get; set; }
    public PromptSections Sections { get; set; } = new();

    /// <summary>What changed and why, in the author's words.</summary>
    public string? Note { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset? PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>The Admin's written reason when the version was published without a passing evaluation.</summary>
    public string? GateOverrideReason { get; set; }

    /// <summary>Incremented on every save of a draft; guards against two editors overwriting each other.</summary>
    public int Revision { get; set; }
}

internal sealed class PromptVersionConfiguration : IEntityTypeConfiguration<PromptVersion>
{
    public void Configure(EntityTypeBuilder<PromptVersion> builder)
    {
        builder.ToTable("PromptVersions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.AgentKey).HasMaxLength(64).IsRequired();
        builder.HasIndex(v => new { v.AgentKey, v.Number }).IsUnique();
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Note).HasMaxLength(2000);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        builder.Property(v => v.UpdatedBy).HasMaxLength(256);
        builder.Property(v => v.PublishedBy).HasMaxLength(256);
        builder.Property(v => v.GateOverrideReason).HasMaxLength(2000);
        builder.Property(v => v.Revision).IsConcurrencyToken();
        builder.OwnsOne(v => v.Sections, s => s.ToJson());
    }
}
