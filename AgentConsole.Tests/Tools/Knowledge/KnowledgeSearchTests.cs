using AgentConsole.Engine.Tools.Knowledge;

namespace AgentConsole.Tests.Tools.Knowledge;

public sealed class KnowledgeSearchTests : IAsyncLifetime
{
    private KnowledgeTestBed _bed = default!;

    private KnowledgeBase Knowledge => _bed.Knowledge;

    public async Task InitializeAsync()
    {
        _bed = await KnowledgeTestBed.CreateAsync();
        await KnowledgeCorpus.LoadAsync(_bed);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData("how long does delivery take", "shipping")]
    [InlineData("refunded", "returns-policy")]
    [InlineData("encryption", "security")]
    [InlineData("discounts for non-profits", "pricing")]
    [InlineData("cancelling my subscription", "cancellation")]
    [InlineData("what happens to deleted contacts", "data-retention")]
    [InlineData("phone hotline for enterprise", "support-hours")]
    [InlineData("does it integrate with slack", "integrations")]
    [InlineData("onboard customers", "onboarding")]
    public async Task Search_RanksTheExpectedDocumentFirst_IncludingStemmedWords(string query, string expected)
    {
        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, query);

        Assert.Equal(KnowledgeSearchMode.Bm25, result.Mode);
        Assert.Equal(9, result.Documents);
        Assert.NotEmpty(result.Hits);
        Assert.Equal(expected, result.Hits[0].DocumentTitle);
        Assert.Equal(Enumerable.Range(1, result.Hits.Count), result.Hits.Select(h => h.Rank));
        Assert.True(result.Hits.Zip(result.Hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "hits are ordered best first");
    }

    [Fact]
    public async Task Search_ReturnsHeadingPathAndBoldSnippet_OfTheMatchedPassage()
    {
        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "refunds");

        var best = result.Hits[0];
        Assert.Equal("Returns policy › Refunds", best.HeadingPath);
        Assert.Contains("**refund**", best.Snippet, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("Customers get a full refund", best.Text, StringComparison.Ordinal);
        Assert.Equal(1, best.KeywordRank);
        Assert.Null(best.SemanticRank);
    }

    [Fact]
    public async Task Search_MatchesAQuotedPhraseOnlyInItsWordOrder()
    {
        var phrase = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "\"recycle bin\"");
        var reversed = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "\"bin recycle\"");
        var words = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "bin recycle");

        Assert.Equal("data-retention", Assert.Single(phrase.Hits).DocumentTitle);
        Assert.Empty(reversed.Hits);
        Assert.Equal("data-retention", words.Hits[0].DocumentTitle);
    }

    [Fact]
    public async Task Search_HonoursTheLimit_AndCapsItAtMaxResults()
    {
        var two = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "the plan days customers delivery", limit: 2);
        var many = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "the", limit: 500);

        Assert.Equal(2, two.Hits.Count);
        Assert.True(many.Hits.Count <= Knowledge.Options.MaxResults);
    }

    [Theory]
    [InlineData("NEAR(refund exchange)")]
    [InlineData("refund NEAR/2 exchange")]
    [InlineData("Text:refund")]
    [InlineData("Title : refund")]
    [InlineData("{Title HeadingPath}: refund")]
    [InlineData("^refund")]
    [InlineData("refund*")]
    [InlineData("\"refund")]
    [InlineData("refund\" OR \"x")]
    [InlineData("refund AND OR NOT")]
    [InlineData("(refund")]
    [InlineData("-refund")]
    [InlineData("refund'; DROP TABLE KnowledgeChunks; --")]
    [InlineData("KnowledgeSearch:refund")]
    public async Task Search_TreatsFts5SyntaxAsText_AndNeverFails(string query)
    {
        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, query);

        Assert.Equal("returns-policy", result.Hits[0].DocumentTitle);
        Assert.Equal(9, (await Knowledge.ListAsync(KnowledgeTestBed.Alpha)).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*")]
    [InlineData("\"\" () : ^ -")]
    public async Task Search_RefusesTextWithNothingToSearch_WithAClearMessage(string query)
    {
        var error = await Assert.ThrowsAsync<KnowledgeQueryException>(() => Knowledge.SearchAsync(KnowledgeTestBed.Alpha, query));

        Assert.Matches("search", error.Message);
    }

    [Fact]
    public async Task Search_RefusesOverlongText()
    {
        var error = await Assert.ThrowsAsync<KnowledgeQueryException>(() => Knowledge.SearchAsync(KnowledgeTestBed.Alpha, new string('a', KnowledgeQuery.MaxChars + 1)));

        Assert.Contains("too long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NeverReturnsAnotherAgentsDocuments()
    {
        await _bed.AddAsync(KnowledgeTestBed.Beta, "falcon.md", "# Project Falcon\nThe Falcon launch is planned for March; refunds are handled by the Falcon desk.");

        var alpha = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "falcon");
        var beta = await Knowledge.SearchAsync(KnowledgeTestBed.Beta, "falcon refunds");
        var alphaRefunds = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "refunds", limit: 20);

        Assert.Empty(alpha.Hits);
        Assert.Equal(9, alpha.Documents);
        Assert.Equal(1, beta.Documents);
        Assert.All(beta.Hits, h => Assert.Equal("falcon", h.DocumentTitle));
        Assert.DoesNotContain(alphaRefunds.Hits, h => h.DocumentTitle == "falcon");
        Assert.Empty(await Knowledge.ListAsync("no-such-agent"));
    }

    [Fact]
    public async Task Search_OfAnEmptyKnowledgeBase_SaysSo_WithoutFailing()
    {
        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Beta, "refund");

        Assert.Equal(0, result.Documents);
        Assert.Empty(result.Hits);
        Assert.Contains("empty", result.Ranking, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_AfterDelete_NoLongerFindsTheDocument()
    {
        var security = (await Knowledge.ListAsync(KnowledgeTestBed.Alpha)).Single(d => d.Title == "security");

        Assert.True(await Knowledge.DeleteAsync(KnowledgeTestBed.Alpha, security.Id, KnowledgeTestBed.Owner));

        var result = await Knowledge.SearchAsync(KnowledgeTestBed.Alpha, "encrypted penetration test");
        Assert.DoesNotContain(result.Hits, h => h.DocumentTitle == "security");
        Assert.Equal(8, result.Documents);
        Assert.Contains("knowledge.deleted", await _bed.ActionsAsync());
    }

    [Fact]
    public async Task Delete_RefusesAnotherAgentsDocument()
    {
        var security = (await Knowledge.ListAsync(KnowledgeTestBed.Alpha)).Single(d => d.Title == "security");

        Assert.False(await Knowledge.DeleteAsync(KnowledgeTestBed.Beta, security.Id, KnowledgeTestBed.Owner));
        Assert.Null(await Knowledge.FindAsync(KnowledgeTestBed.Beta, security.Id));
        Assert.NotNull(await Knowledge.FindAsync(KnowledgeTestBed.Alpha, security.Id));
    }
}
