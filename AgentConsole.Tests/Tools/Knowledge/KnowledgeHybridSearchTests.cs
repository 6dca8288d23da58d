using AgentConsole.Engine.Tools.Knowledge;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Tools.Knowledge;

/// <summary>With an embedding generator registered (a deterministic fake model), search fuses BM25 with similarity.</summary>
public sealed class KnowledgeHybridSearchTests : IAsyncLifetime
{
    private readonly FakeEmbeddingGenerator _generator = new();
    private KnowledgeTestBed _bed = default!;

    private KnowledgeBase Knowledge => _bed.Knowledge;

    public async Task InitializeAsync()
    {
        _bed = await KnowledgeTestBed.CreateAsync(generator: _generator);
        await KnowledgeCorpus.LoadAsync(_bed);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Upload_StoresAVectorForEveryPassage_UnderTheModelsName()
    {
        await using var db = await _bed.Database.Contexts.CreateDbContextAsync();
        var chunks = await db.Set<KnowledgeChunk>().ToListAsync();

        Assert.All(chunks, c => Assert.Equal((FakeEmbeddingGenerator.ModelId, 64 * sizeof(float)), (c.EmbeddingModel, c.Embedding!.Length)));
        Assert.All(await Knowledge.ListAsync(KnowledgeTestBed.Alpha), d => Assert.Equal(FakeEmbeddingGenerator.ModelId, d.EmbeddingModel));
        Assert.Contains("fake-embeddings-v1", Knowledge.RankingDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_FindsAPassageThatSharesNoWordWithTheQuestion_BySimilarity()
    {
        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "reimbursement");

        Assert.Equal(KnowledgeSearchMode.Hybrid, result.Mode);
        Assert.Contains("reciprocal rank", result.Ranking, StringComparison.Ordinal);
        var best = result.Hits[0];
        Assert.Equal(("returns-policy", "Returns policy › Refunds"), (best.DocumentTitle, best.HeadingPath));
        Assert.Null(best.KeywordRank);
        Assert.Equal(1, best.SemanticRank);
    }

    [Theory]
    [InlineData("encryption", "security")]
    [InlineData("how long does delivery take", "shipping")]
    [InlineData("cancelling my subscription", "cancellation")]
    [InlineData("\"recycle bin\"", "data-retention")]
    public async Task Search_KeepsTheKeywordWinnerFirst_WhenBothRankingsAgree(string query, string expected)
    {
        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, query);

        Assert.Equal(KnowledgeSearchMode.Hybrid, result.Mode);
        Assert.Equal(expected, result.Hits[0].DocumentTitle);
        Assert.NotNull(result.Hits[0].KeywordRank);
    }

    [Fact]
    public async Task Search_FallsBackToBm25_AndSaysWhy_WhenTheEmbeddingModelFails()
    {
        _generator.Fail = true;

        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "refunded");

        Assert.Equal(KnowledgeSearchMode.Bm25, result.Mode);
        Assert.Contains("failed", result.Ranking, StringComparison.Ordinal);
        Assert.Equal("returns-policy", result.Hits[0].DocumentTitle);
    }

    [Fact]
    public async Task Upload_StillSucceeds_WithoutVectors_WhenTheEmbeddingModelFails()
    {
        _generator.Fail = true;

        var result = await Knowledge.UploadAsync(KnowledgeTestBed.Beta, KnowledgeTestBed.Markdown("falcon.md", "Project Falcon refunds."), KnowledgeTestBed.Owner);

        Assert.Equal(KnowledgeUploadOutcome.Saved, result.Outcome);
        Assert.Null(result.Document!.EmbeddingModel);
        Assert.Contains("not embedded", result.Message, StringComparison.Ordinal);
        _generator.Fail = false;
        var search = await Knowledge.SearchAsync(KnowledgeTestBed.Beta, "falcon");
        Assert.Equal(KnowledgeSearchMode.Bm25, search.Mode);
        Assert.Contains("no passage", search.Ranking, StringComparison.Ordinal);
        Assert.Equal("falcon", Assert.Single(search.Hits).DocumentTitle);
    }
}
