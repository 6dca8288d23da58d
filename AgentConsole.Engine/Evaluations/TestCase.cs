using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// One case of a test set: an input and what a correct run does with it. Every expectation is optional; a case
/// passes when every expectation it states holds.
/// </summary>
public sealed class TestCase
{
    public Guid Id { get; set; }
    public Guid TestSetId { get; set; }
    public string Name { get; set; } = "";
    public TestCaseKind Kind { get; set; }

    /// <summary>The trigger input, a JSON object.</summary>
    public string InputJson { get; set; } = "{}";

    /// <summary>Expected decision results by decision key (a JSON object; a decision not named is not checked).</summary>
    public string? ExpectedDecisionsJson { get; set; }

    /// <summary>Tools the run must call.</summary>
    public List<string> MustCall { get; set; } = [];

    /// <summary>Tools the run must not call.</summary>
    public List<string> MustNotCall { get; set; } = [];

    /// <summary>True: the run must hand the case to a person; false: it must not; null: not checked.</summary>
    public bool? MustEscalate { get; set; }

    /// <summary>
    /// True: the input must be refused before any run starts (a required field missing, a value of the wrong type); the
    /// case passes when the engine refuses it and fails when a run starts.
    /// </summary>
    public bool ExpectRejected { get; set; }

    /// <summary>Texts the run's output must contain (case-insensitive).</summary>
    public List<string> OutputContains { get; set; } = [];

    /// <summary>The run the case was taken from ("add to test set" on a run's page).</summary>
    public Guid? SourceRunId { get; set; }

    public string? Notes { get; set; }

    /// <summary>Order within the set.</summary>
    public int Sequence { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class TestCaseConfiguration : IEntityTypeConfiguration<TestCase>
{
    public void Configure(EntityTypeBuilder<TestCase> builder)
    {
        builder.ToTable("TestCases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Notes).HasMaxLength(2000);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.HasIndex(c => new { c.TestSetId, c.Sequence });
    }
}
