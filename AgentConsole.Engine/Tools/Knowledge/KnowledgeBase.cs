using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// Each agent's knowledge base: documents people upload, cut into passages, ranked by FTS5 BM25 and — when an
/// embedding model is configured — by embedding similarity too, fused by reciprocal rank. Every read and write names
/// the agent, so one agent's documents never reach another. Uploads and deletions are audited.
/// </summary>
public sealed partial class KnowledgeBase(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    IOptions<KnowledgeOptions> options,
    KnowledgeEmbeddings embeddings,
    AuditLog audit,
    TimeProvider time,
    ILogger<KnowledgeBase> logger)
{
    /// <summary>The usual constant of reciprocal-rank fusion: damps the weight of the very first places.</summary>
    private const int FusionK = 60;
    private const int EmbeddingBatch = 64;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public KnowledgeOptions Options => options.Value;

    /// <summary>How searches rank right now, for the page ("BM25 + embeddings (model)" or "BM25 only").</summary>
    public string RankingDescription => embeddings.Current() is { } e
        ? $"BM25 + embeddings ({e.Model}), fused by reciprocal rank"
        : "BM25 only: no embedding model is configured (AgentConsole:Models:Providers:<name>:EmbeddingModel)";

    public async Task<IReadOnlyList<KnowledgeDocumentView>> ListAsync(string agentKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<KnowledgeDocument>().AsNoTracking().Where(d => d.AgentKey == agentKey)
            .OrderBy(d => d.Title).ThenBy(d => d.Id).ToListAsync(ct);
        return [.. rows.Select(KnowledgeDocumentView.From)];
    }

    /// <summary>One document with its content, or null when this agent has no such document.</summary>
    public async Task<KnowledgeDocument?> FindAsync(string agentKey, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<KnowledgeDocument>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id && d.AgentKey == agentKey, ct);
    }

    /// <summary>The passages a document was cut into, in order.</summary>
    public async Task<IReadOnlyList<KnowledgePassage>> PassagesAsync(string agentKey, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<KnowledgeChunk>().AsNoTracking().Where(c => c.DocumentId == id && c.AgentKey == agentKey)
            .OrderBy(c => c.Ordinal).Select(c => new KnowledgePassage(c.HeadingPath, c.Text)).ToListAsync(ct);
    }

    public async Task<KnowledgeUploadResult> UploadAsync(string agentKey, KnowledgeUpload upload, string actor, CancellationToken ct = default)
    {
        var o = options.Value;
        var fileName = Path.GetFileName((upload.FileName ?? "").Replace('\\', '/')).Trim();
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (fileName.Length == 0)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Invalid, "fileName", "Name the file (e.g. returns-policy.md).");
        }

        if (fileName.Length > KnowledgeDocument.FileNameMaxLength)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Invalid, "fileName", $"The file name is too long (at most {KnowledgeDocument.FileNameMaxLength} characters).");
        }

        if (!o.Extensions.Contains(extension))
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Invalid, "fileName",
                $"'{fileName}' is not a Markdown or text file; upload {string.Join(", ", o.Extensions)} files.");
        }

        var title = string.IsNullOrWhiteSpace(upload.Title) ? Path.GetFileNameWithoutExtension(fileName) : upload.Title.Trim();
        if (title.Length > KnowledgeDocument.TitleMaxLength)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Invalid, "title", $"The title is too long (at most {KnowledgeDocument.TitleMaxLength} characters).");
        }

        if (upload.Content.Length > o.MaxDocumentBytes)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.TooLarge, "content",
                $"'{fileName}' is {upload.Content.Length:N0} bytes; documents may be at most {o.MaxDocumentBytes:N0} bytes. Split it into smaller documents.");
        }

        var (content, problem) = Decode(upload.Content, fileName);
        if (problem is not null)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Invalid, "content", problem);
        }

        var passages = MarkdownChunker.Chunk(content, o.ChunkMaxChars, o.ChunkOverlapChars);
        if (passages.Count == 0)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Invalid, "content", $"'{fileName}' has no text to search (only headings or blank lines).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Agents.AnyAsync(a => a.Key == agentKey, ct))
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.AgentNotFound, "agent", $"No agent with key '{agentKey}'.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var duplicate = await db.Set<KnowledgeDocument>().AsNoTracking().Where(d => d.AgentKey == agentKey && d.ContentHash == hash).Select(d => d.Title).FirstOrDefaultAsync(ct);
        if (duplicate is not null)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Duplicate, "content", $"This text is already in the knowledge base as '{duplicate}'.");
        }

        if (await db.Set<KnowledgeDocument>().CountAsync(d => d.AgentKey == agentKey, ct) >= o.MaxDocumentsPerAgent)
        {
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Full, "content",
                $"The knowledge base already holds {o.MaxDocumentsPerAgent:N0} documents, the most one agent may have; delete one first.");
        }

        var (vectors, embeddingModel, embeddingNote) = await EmbedAsync(title, passages, ct);
        var document = new KnowledgeDocument
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            AgentKey = agentKey,
            Title = title,
            FileName = fileName,
            Content = content,
            ContentHash = hash,
            SizeBytes = upload.Content.Length,
            ChunkCount = passages.Count,
            EmbeddingModel = embeddingModel,
            UploadedBy = actor,
            UploadedAt = time.GetUtcNow(),
        };
        db.Add(document);
        for (var i = 0; i < passages.Count; i++)
        {
            db.Add(new KnowledgeChunk
            {
                DocumentId = document.Id,
                AgentKey = agentKey,
                Ordinal = i,
                Title = title,
                HeadingPath = passages[i].HeadingPath,
                Text = passages[i].Text,
                Embedding = vectors?[i],
                EmbeddingModel = vectors is null ? null : embeddingModel,
            });
        }

        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "knowledge.uploaded", AuditActor.Parse(actor),
            $"Knowledge document '{title}' added to {agentKey} ({passages.Count} passages)",
            new { document = document.Id, title, fileName, sizeBytes = document.SizeBytes, passages = passages.Count, embeddingModel, contentHash = hash },
            agentKey));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is DbException)
        {
            // Two uploads of the same text at once: the unique (agent, hash) index refuses the second.
            return KnowledgeUploadResult.Refused(KnowledgeUploadOutcome.Duplicate, "content", "This text was just added to the knowledge base by someone else.");
        }

        var message = $"'{title}' added: {passages.Count} passage{(passages.Count == 1 ? "" : "s")}" + (embeddingNote is null ? "." : $"; {embeddingNote}");
        return KnowledgeUploadResult.Saved(KnowledgeDocumentView.From(document), message);
    }

    /// <summary>Deletes one of the agent's documents with its passages; false when it has no such document.</summary>
    public async Task<bool> DeleteAsync(string agentKey, Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var document = await db.Set<KnowledgeDocument>().SingleOrDefaultAsync(d => d.Id == id && d.AgentKey == agentKey, ct);
        if (document is null)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Deleted row by row in SQL so the FTS5 triggers remove each passage from the index.
        await db.Set<KnowledgeChunk>().Where(c => c.DocumentId == id).ExecuteDeleteAsync(ct);
        db.Remove(document);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "knowledge.deleted", AuditActor.Parse(actor),
            $"Knowledge document '{document.Title}' removed from {agentKey}",
            new { document = document.Id, title = document.Title, fileName = document.FileName, passages = document.ChunkCount },
            agentKey));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The agent's best passages for <paramref name="text"/>. Throws <see cref="KnowledgeQueryException"/> when the text
    /// has nothing searchable. An empty knowledge base is a result (no hits, <c>Documents = 0</c>), not an error.
    /// </summary>
    public async Task<KnowledgeSearchResult> SearchAsync(string agentKey, string? text, int? limit = null, CancellationToken ct = default)
    {
        var o = options.Value;
        var query = KnowledgeQuery.Parse(text);
        if (query.Error is not null)
        {
            throw new KnowledgeQueryException(query.Error);
        }

        var take = Math.Clamp(limit ?? o.DefaultResults, 1, o.MaxResults);
        var candidates = Math.Max(take * 4, 40);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var documents = await db.Set<KnowledgeDocument>().CountAsync(d => d.AgentKey == agentKey, ct);
        if (documents == 0)
        {
            return new KnowledgeSearchResult(KnowledgeSearchMode.Bm25, 0, "The knowledge base is empty: no documents have been uploaded for this agent.", []);
        }

        var keyword = await RankByKeywordsAsync(db, agentKey, query, candidates, ct);
        var (semantic, ranking) = await RankBySimilarityAsync(db, agentKey, text!, candidates, ct);
        var mode = semantic is null ? KnowledgeSearchMode.Bm25 : KnowledgeSearchMode.Hybrid;

        var keywordRank = keyword.Select((k, i) => (k.Id, Rank: i + 1)).ToDictionary(x => x.Id, x => x.Rank);
        var semanticRank = (semantic ?? []).Select((s, i) => (s.Id, Rank: i + 1)).ToDictionary(x => x.Id, x => x.Rank);
        var chosen = mode == KnowledgeSearchMode.Bm25
            ? keyword.Take(take).Select(k => (k.Id, Score: -k.Bm25)).ToList()
            : keywordRank.Keys.Union(semanticRank.Keys)
                .Select(id => (Id: id, Score: Fuse(keywordRank.GetValueOrDefault(id)) + Fuse(semanticRank.GetValueOrDefault(id))))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(take).ToList();

        var ids = chosen.Select(c => c.Id).ToList();
        var chunks = await db.Set<KnowledgeChunk>().AsNoTracking().Where(c => ids.Contains(c.Id) && c.AgentKey == agentKey)
            .Select(c => new { c.Id, c.DocumentId, c.Title, c.HeadingPath, c.Text }).ToDictionaryAsync(c => c.Id, ct);
        var snippets = keyword.ToDictionary(k => k.Id, k => k.Snippet);
        var hits = chosen.Where(c => chunks.ContainsKey(c.Id)).Select((c, i) =>
        {
            var chunk = chunks[c.Id];
            var snippet = snippets.GetValueOrDefault(c.Id) ?? (chunk.Text.Length <= 200 ? chunk.Text : chunk.Text[..200] + "…");
            return new KnowledgeHit(i + 1, chunk.DocumentId, chunk.Title, chunk.HeadingPath, snippet, chunk.Text, Math.Round(c.Score, 6),
                keywordRank.TryGetValue(c.Id, out var k) ? k : null, semanticRank.TryGetValue(c.Id, out var s) ? s : null);
        }).ToList();
        return new KnowledgeSearchResult(mode, documents, ranking, hits);

        static double Fuse(int rank) => rank == 0 ? 0 : 1.0 / (FusionK + rank);
    }

    private static async Task<List<(long Id, double Bm25, string Snippet)>> RankByKeywordsAsync(
        AgentConsoleDbContext db, string agentKey, KnowledgeQuery.Result query, int limit, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            // FTS5 on SQLite, the tsvector of KnowledgeSearchPostgresSql on PostgreSQL: the same parsed question.
            if (db.Database.IsPostgres())
            {
                command.CommandText = KnowledgeSearchPostgresSql.RankSql.Replace(KnowledgeSearchPostgresSql.TermsPlaceholder,
                    string.Join(" || ", query.Terms.Select((_, i) => KnowledgeSearchPostgresSql.Term(i))), StringComparison.Ordinal);
                for (var i = 0; i < query.Terms.Count; i++)
                {
                    Add(command, $"@t{i}", query.Terms[i]);
                }
            }
            else
            {
                command.CommandText = KnowledgeSearchSql.RankSql;
                Add(command, "@q", query.Match!);
            }

            Add(command, "@agent", agentKey);
            Add(command, "@limit", limit);
            var rows = new List<(long, double, string)>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetDouble(1), reader.IsDBNull(2) ? "" : reader.GetString(2)));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        static void Add(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }

    private async Task<(List<(long Id, double Similarity)>? Ranked, string Ranking)> RankBySimilarityAsync(
        AgentConsoleDbContext db, string agentKey, string text, int limit, CancellationToken ct)
    {
        if (embeddings.Current() is not { } embedder)
        {
            return (null, "BM25 only: no embedding model is configured.");
        }

        var vectors = await db.Set<KnowledgeChunk>().AsNoTracking()
            .Where(c => c.AgentKey == agentKey && c.EmbeddingModel == embedder.Model && c.Embedding != null)
            .Select(c => new { c.Id, c.Embedding }).ToListAsync(ct);
        if (vectors.Count == 0)
        {
            return (null, $"BM25 only: no passage of this knowledge base is embedded with {embedder.Model} yet (upload the documents again to embed them).");
        }

        ReadOnlyMemory<float> question;
        try
        {
            question = await embedder.Generator.GenerateVectorAsync(text, cancellationToken: ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Keyword ranking still answers; the result says the embeddings were left out and why.
            LogEmbeddingFailed(logger, embedder.Model, ex.GetType().Name, ex);
            return (null, $"BM25 only: the embedding model {embedder.Model} failed for this search ({ex.GetType().Name}).");
        }

        var ranked = vectors.Select(v => (v.Id, Similarity: KnowledgeEmbedder.Cosine(question.Span, KnowledgeEmbedder.FromBytes(v.Embedding!))))
            .OrderByDescending(v => v.Similarity).ThenBy(v => v.Id).Take(limit).ToList();
        return (ranked, $"BM25 + embeddings ({embedder.Model}), fused by reciprocal rank.");
    }

    private async Task<(byte[][]? Vectors, string? Model, string? Note)> EmbedAsync(string title, IReadOnlyList<KnowledgePassage> passages, CancellationToken ct)
    {
        if (embeddings.Current() is not { } embedder)
        {
            return (null, null, null);
        }

        try
        {
            var vectors = new List<byte[]>(passages.Count);
            foreach (var batch in passages.Chunk(EmbeddingBatch))
            {
                // The headings travel with the text: a passage under "Refunds" is about refunds even if it never says so.
                var inputs = batch.Select(p => string.Join("\n", new[] { title, p.HeadingPath, p.Text }.Where(s => s.Length > 0)));
                var generated = await embedder.Generator.GenerateAsync(inputs, cancellationToken: ct);
                if (generated.Count != batch.Length)
                {
                    throw new InvalidOperationException($"The embedding model returned {generated.Count} vectors for {batch.Length} passages.");
                }

                vectors.AddRange(generated.Select(g => KnowledgeEmbedder.ToBytes(g.Vector)));
            }

            return ([.. vectors], embedder.Model, $"embedded with {embedder.Model}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEmbeddingFailed(logger, embedder.Model, ex.GetType().Name, ex);
            return (null, null, $"not embedded: the embedding model {embedder.Model} failed ({ex.GetType().Name}); searches rank it by BM25 only.");
        }
    }

    /// <summary>Bytes to text: UTF-8 only (a byte-order mark is dropped); binary files and other encodings are refused.</summary>
    internal static (string Content, string? Problem) Decode(byte[] bytes, string fileName)
    {
        // A NUL byte never occurs in UTF-8 text and almost always in binary formats (images, PDFs, Office files).
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            return ("", $"'{fileName}' looks like a binary file, not Markdown or plain text.");
        }

        string content;
        try
        {
            content = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return ("", $"'{fileName}' is not UTF-8 text. Save it as UTF-8 (most editors offer it under 'Save as' or 'Encoding') and upload it again.");
        }

        content = content.TrimStart('\uFEFF');
        if (content.Count(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t' or '\f')) > content.Length / 100 + 1)
        {
            return ("", $"'{fileName}' looks like a binary file, not Markdown or plain text.");
        }

        if (string.IsNullOrWhiteSpace(content))
        {
            return ("", $"'{fileName}' is empty.");
        }

        return (content.ReplaceLineEndings("\n"), null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Knowledge embedding with model {Model} failed ({Error}); ranking by BM25 only.")]
    private static partial void LogEmbeddingFailed(ILogger logger, string model, string error, Exception exception);
}
