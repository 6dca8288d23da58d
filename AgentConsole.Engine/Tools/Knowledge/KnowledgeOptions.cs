using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>Bound from <c>AgentConsole:Knowledge</c>: what an agent's knowledge base accepts and how it is searched.</summary>
public sealed class KnowledgeOptions : IValidatableObject
{
    public const string Section = "AgentConsole:Knowledge";

    /// <summary>Largest document accepted, in UTF-8 bytes.</summary>
    [Range(1_024, 10_485_760)]
    public int MaxDocumentBytes { get; set; } = 524_288;

    /// <summary>Most documents one agent's knowledge base holds.</summary>
    [Range(1, 10_000)]
    public int MaxDocumentsPerAgent { get; set; } = 100;

    /// <summary>
    /// File name endings accepted, comma-separated (a subset of .md, .markdown, .txt; the chunker reads Markdown and
    /// plain text). One string rather than a list: configuration binding appends to a list's defaults instead of
    /// replacing them.
    /// </summary>
    public string AllowedExtensions { get; set; } = ".md,.markdown,.txt";

    /// <summary><see cref="AllowedExtensions"/> as a list, lower case.</summary>
    public IReadOnlyList<string> Extensions =>
        [.. AllowedExtensions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => e.ToLowerInvariant())];

    /// <summary>A chunk is closed once adding the next paragraph would pass this many characters.</summary>
    [Range(200, 8_000)]
    public int ChunkMaxChars { get; set; } = 1_200;

    /// <summary>Characters of a chunk's end repeated at the start of the next chunk of the same section.</summary>
    [Range(0, 1_000)]
    public int ChunkOverlapChars { get; set; } = 150;

    /// <summary>Passages a search returns when the caller names no limit.</summary>
    [Range(1, 50)]
    public int DefaultResults { get; set; } = 5;

    /// <summary>Most passages one search returns.</summary>
    [Range(1, 50)]
    public int MaxResults { get; set; } = 20;

    /// <summary>
    /// The provider under <c>AgentConsole:Models:Providers</c> whose <c>EmbeddingModel</c> embeds chunks. Empty: the
    /// first configured provider that names an embedding model; none: BM25 ranking only.
    /// </summary>
    public string? EmbeddingProvider { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ChunkOverlapChars * 2 > ChunkMaxChars)
        {
            yield return new ValidationResult($"{Section}:ChunkOverlapChars must be at most half of ChunkMaxChars.", [nameof(ChunkOverlapChars)]);
        }

        if (DefaultResults > MaxResults)
        {
            yield return new ValidationResult($"{Section}:DefaultResults cannot exceed MaxResults.", [nameof(DefaultResults)]);
        }

        if (Extensions.Count == 0 || Extensions.Any(e => e is not (".md" or ".markdown" or ".txt")))
        {
            yield return new ValidationResult($"{Section}:AllowedExtensions may list only .md, .markdown and .txt (the chunker reads Markdown and plain text).", [nameof(AllowedExtensions)]);
        }
    }
}
