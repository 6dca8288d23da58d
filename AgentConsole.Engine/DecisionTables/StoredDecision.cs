using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.DecisionTables;

public enum DecisionVersionStatus
{
    Draft,
    Published,
    Retired,
}

/// <summary>
/// A decision as the console stores it: a stable key, optionally bound to an agent, and its versions.
/// At most one version is the draft and at most one is published at any time.
/// </summary>
public sealed class StoredDecision
{
    public Guid Id { get; set; }

    /// <summary>URL-safe identifier derived from the decision name when it was created or imported.</summary>
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The agent whose runs evaluate this decision on their input, if any.</summary>
    public string? AgentKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";

    public List<DecisionVersion> Versions { get; set; } = [];
    public List<DecisionTestCase> TestCases { get; set; } = [];
}

/// <summary>One version of a decision. Published and retired versions are immutable; only the draft is edited.</summary>
public sealed class DecisionVersion
{
    public Guid Id { get; set; }
    public Guid DecisionId { get; set; }

    /// <summary>1, 2, 3… in order of creation.</summary>
    public int Number { get; set; }

    public DecisionVersionStatus Status { get; set; }

    /// <summary>
    /// The decision with the input data it reads, as a one-decision <see cref="DmnModel"/> in JSON;
    /// exactly what the DMN export writes.
    /// </summary>
    public string ModelJson { get; set; } = "";

    /// <summary>Bumped on every draft save; the editor sends it back to detect concurrent edits.</summary>
    public int Revision { get; set; }

    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset? PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>A saved test case of a decision: inputs and the result they must produce.</summary>
public sealed class DecisionTestCase
{
    public Guid Id { get; set; }
    public Guid DecisionId { get; set; }
    public string Name { get; set; } = "";

    /// <summary>JSON object of input name → value.</summary>
    public string InputsJson { get; set; } = "{}";

    /// <summary>JSON of the expected result, shaped as the evaluate API returns it (value, object or list; null for no match).</summary>
    public string ExpectedJson { get; set; } = "null";

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

internal sealed class StoredDecisionConfiguration : IEntityTypeConfiguration<StoredDecision>
{
    public void Configure(EntityTypeBuilder<StoredDecision> builder)
    {
        builder.ToTable("Decisions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Key).HasMaxLength(64).IsRequired();
        builder.HasIndex(d => d.Key).IsUnique();
        builder.Property(d => d.Name).HasMaxLength(200).IsRequired();
        builder.Property(d => d.AgentKey).HasMaxLength(64);
        builder.HasIndex(d => d.AgentKey);
        builder.Property(d => d.CreatedBy).HasMaxLength(256);
        builder.Property(d => d.UpdatedBy).HasMaxLength(256);
        builder.HasMany(d => d.Versions).WithOne().HasForeignKey(v => v.DecisionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.TestCases).WithOne().HasForeignKey(t => t.DecisionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DecisionVersionConfiguration : IEntityTypeConfiguration<DecisionVersion>
{
    public void Configure(EntityTypeBuilder<DecisionVersion> builder)
    {
        builder.ToTable("DecisionVersions");
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.DecisionId, v.Number }).IsUnique();
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Revision).IsConcurrencyToken();
        builder.Property(v => v.Note).HasMaxLength(1000);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        builder.Property(v => v.UpdatedBy).HasMaxLength(256);
        builder.Property(v => v.PublishedBy).HasMaxLength(256);
    }
}

internal sealed class DecisionTestCaseConfiguration : IEntityTypeConfiguration<DecisionTestCase>
{
    public void Configure(EntityTypeBuilder<DecisionTestCase> builder)
    {
        builder.ToTable("DecisionTestCases");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(200).IsRequired();
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
    }
}
