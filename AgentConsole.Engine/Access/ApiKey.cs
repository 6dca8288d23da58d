using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Access;

/// <summary>
/// A bearer key for scripts and integrations. Only a SHA-256 hash of the secret is stored:
/// keys are 256-bit random values, so a fast hash is enough and lookups stay O(1).
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";

    /// <summary>The first characters of the key, safe to show so people can tell keys apart.</summary>
    public string Prefix { get; set; } = "";

    public string Hash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public bool IsRevoked => RevokedAt is not null;
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Name).HasMaxLength(100).IsRequired();
        builder.Property(k => k.Role).HasMaxLength(32).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(16).IsRequired();
        builder.Property(k => k.Hash).HasMaxLength(64).IsRequired();
        builder.Property(k => k.CreatedBy).HasMaxLength(256);
        builder.Property(k => k.RevokedBy).HasMaxLength(256);
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.Ignore(k => k.IsRevoked);
    }
}
