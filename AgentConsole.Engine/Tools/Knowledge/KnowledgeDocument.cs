using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>A Markdown or text document uploaded to one agent's knowledge base; searched through its chunks.</summary>
public sealed class KnowledgeDocument
{
    public const int TitleMaxLength = 200;
    public const int FileNameMaxLength = 255;

    public Guid Id { get; set; }

    public string AgentKey { get; set; } = "";

    public string Title { get; set; } = "";

    public string FileName { get; set; } = "";

    public string Content { get; set; } = "";

    /// <summary>SHA-256 of the content (hex); the same text twice in one knowledge base is refused.</summary>
    public string ContentHash { get; set; } = "";

    /// <summary>Size of the uploaded file in UTF-8 bytes.</summary>
    public int SizeBytes { get; set; }

    public int ChunkCount { get; set; }

    /// <summary>The embedding model its chunks were embedded with; null when they were not.</summary>
    public string? EmbeddingModel { get; set; }

    public string UploadedBy { get; set; } = "";

    public DateTimeOffset UploadedAt { get; set; }
}

internal sealed class KnowledgeDocumentConfiguration : IEntityTypeConfiguration<KnowledgeDocument>
{
    public void Configure(EntityTypeBuilder<KnowledgeDocument> builder)
    {
        builder.ToTable("KnowledgeDocuments");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.AgentKey).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Title).HasMaxLength(KnowledgeDocument.TitleMaxLength).IsRequired();
        builder.Property(d => d.FileName).HasMaxLength(KnowledgeDocument.FileNameMaxLength).IsRequired();
        builder.Property(d => d.Content).IsRequired();
        builder.Property(d => d.ContentHash).HasMaxLength(64).IsRequired();
        builder.Property(d => d.EmbeddingModel).HasMaxLength(200);
        builder.Property(d => d.UploadedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(d => new { d.AgentKey, d.ContentHash }).IsUnique();
        builder.HasIndex(d => new { d.AgentKey, d.UploadedAt });
        builder.HasMany<KnowledgeChunk>().WithOne().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
