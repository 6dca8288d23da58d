using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// A passage of a document, the unit search ranks. Its rowid feeds the FTS5 index (see <see cref="KnowledgeSearchSql"/>);
/// agent key and title are copied from the document so a search touches one table and the index.
/// </summary>
public sealed class KnowledgeChunk
{
    public long Id { get; set; }

    public Guid DocumentId { get; set; }

    public string AgentKey { get; set; } = "";

    /// <summary>Position in the document, from 0.</summary>
    public int Ordinal { get; set; }

    public string Title { get; set; } = "";

    /// <summary>The Markdown headings above the passage, outermost first, joined with " › "; empty for plain text.</summary>
    public string HeadingPath { get; set; } = "";

    public string Text { get; set; } = "";

    /// <summary>The passage's embedding as little-endian float32s; null without an embedding model.</summary>
    public byte[]? Embedding { get; set; }

    public string? EmbeddingModel { get; set; }
}

internal sealed class KnowledgeChunkConfiguration : IEntityTypeConfiguration<KnowledgeChunk>
{
    public void Configure(EntityTypeBuilder<KnowledgeChunk> builder)
    {
        builder.ToTable("KnowledgeChunks");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.AgentKey).HasMaxLength(64).IsRequired();
        builder.Property(c => c.Title).HasMaxLength(KnowledgeDocument.TitleMaxLength).IsRequired();
        builder.Property(c => c.HeadingPath).HasMaxLength(1_000).IsRequired();
        builder.Property(c => c.Text).IsRequired();
        builder.Property(c => c.EmbeddingModel).HasMaxLength(200);
        builder.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
        builder.HasIndex(c => c.AgentKey);
    }
}
