using System.Text;
using AgentConsole.Engine.Tools.Knowledge;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Tests.Tools.Knowledge;

public sealed class KnowledgeUploadTests : IAsyncLifetime
{
    private KnowledgeTestBed _bed = default!;

    private KnowledgeBase Knowledge => _bed.Knowledge;

    public async Task InitializeAsync() => _bed = await KnowledgeTestBed.CreateAsync(o =>
    {
        o.MaxDocumentBytes = 2_048;
        o.MaxDocumentsPerAgent = 3;
    });

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private Task<KnowledgeUploadResult> UploadAsync(string fileName, byte[] content, string? title = null, string agent = KnowledgeTestBed.Alpha) =>
        Knowledge.UploadAsync(agent, new KnowledgeUpload(title, fileName, content), KnowledgeTestBed.Owner);

    [Fact]
    public async Task Upload_StoresTheDocumentWithItsPassages_AndAuditsIt()
    {
        var result = await UploadAsync("C:\\Users\\dana\\returns-policy.md", Encoding.UTF8.GetBytes("\uFEFF# Returns\n\n## Refunds\nWithin 30 days.\n\n## Exchanges\nFree."), "Returns policy");

        Assert.Equal(KnowledgeUploadOutcome.Saved, result.Outcome);
        var document = result.Document!;
        Assert.Equal(("Returns policy", "returns-policy.md", 2, KnowledgeTestBed.Owner), (document.Title, document.FileName, document.ChunkCount, document.UploadedBy));
        Assert.Null(document.EmbeddingModel);
        Assert.Equal("'Returns policy' added: 2 passages.", result.Message);
        Assert.Equal(["Returns › Refunds", "Returns › Exchanges"], (await Knowledge.PassagesAsync(KnowledgeTestBed.Alpha, document.Id)).Select(p => p.HeadingPath));
        var stored = await Knowledge.FindAsync(KnowledgeTestBed.Alpha, document.Id);
        Assert.StartsWith("# Returns", stored!.Content, StringComparison.Ordinal);
        Assert.Equal(64, stored.ContentHash.Length);
        Assert.Equal(["knowledge.uploaded"], (await _bed.ActionsAsync()).Where(a => a.StartsWith("knowledge.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Upload_UsesTheFileName_WhenNoTitleIsGiven()
    {
        var result = await UploadAsync("faq.txt", "Plain text answers."u8.ToArray());

        Assert.Equal("faq", result.Document!.Title);
    }

    [Theory]
    [InlineData("report.pdf")]
    [InlineData("notes.docx")]
    [InlineData("script.md.exe")]
    [InlineData("README")]
    public async Task Upload_RefusesOtherFileTypes(string fileName)
    {
        var result = await UploadAsync(fileName, "text"u8.ToArray());

        Assert.Equal(KnowledgeUploadOutcome.Invalid, result.Outcome);
        Assert.Contains("not a Markdown or text file", result.Errors["fileName"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_RefusesABinaryFile_EvenWithATextExtension()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];

        var result = await UploadAsync("image.md", png);

        Assert.Equal(KnowledgeUploadOutcome.Invalid, result.Outcome);
        Assert.Contains("binary", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_RefusesTextThatIsNotUtf8()
    {
        var latin1 = Encoding.Latin1.GetBytes("Preise für Größen über 50 €");

        var result = await UploadAsync("preise.txt", latin1);

        Assert.Equal(KnowledgeUploadOutcome.Invalid, result.Outcome);
        Assert.Contains("not UTF-8", result.Errors["content"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_RefusesADocumentOverTheSizeLimit()
    {
        var result = await UploadAsync("big.md", Encoding.UTF8.GetBytes(new string('a', 2_049)));

        Assert.Equal(KnowledgeUploadOutcome.TooLarge, result.Outcome);
        Assert.Contains("at most 2,048 bytes", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n \t ")]
    [InlineData("# Only a heading\n\n## And another")]
    public async Task Upload_RefusesADocumentWithoutText(string text)
    {
        var result = await UploadAsync("empty.md", Encoding.UTF8.GetBytes(text));

        Assert.Equal(KnowledgeUploadOutcome.Invalid, result.Outcome);
        Assert.Matches("empty|no text", result.Message);
    }

    [Fact]
    public async Task Upload_RefusesTheSameTextTwice_ButAnotherAgentMayHaveIt()
    {
        await UploadAsync("a.md", "Same words."u8.ToArray());

        var again = await UploadAsync("b.md", "Same words."u8.ToArray());
        var elsewhere = await UploadAsync("a.md", "Same words."u8.ToArray(), agent: KnowledgeTestBed.Beta);

        Assert.Equal(KnowledgeUploadOutcome.Duplicate, again.Outcome);
        Assert.Contains("already in the knowledge base as 'a'", again.Message, StringComparison.Ordinal);
        Assert.Equal(KnowledgeUploadOutcome.Saved, elsewhere.Outcome);
    }

    [Fact]
    public async Task Upload_RefusesMoreDocumentsThanTheLimit()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(KnowledgeUploadOutcome.Saved, (await UploadAsync($"d{i}.md", Encoding.UTF8.GetBytes($"Document {i}."))).Outcome);
        }

        var fourth = await UploadAsync("d3.md", "Document 3."u8.ToArray());

        Assert.Equal(KnowledgeUploadOutcome.Full, fourth.Outcome);
        Assert.Contains("delete one first", fourth.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await Knowledge.ListAsync(KnowledgeTestBed.Alpha)).Count);
    }

    [Fact]
    public async Task Upload_RefusesAnUnknownAgent()
    {
        var result = await UploadAsync("a.md", "Text."u8.ToArray(), agent: "no-such-agent");

        Assert.Equal(KnowledgeUploadOutcome.AgentNotFound, result.Outcome);
    }

    [Fact]
    public async Task Refused_Uploads_LeaveNothingBehind()
    {
        await UploadAsync("image.md", [0, 1, 2, 3]);
        await UploadAsync("big.md", new byte[4_096]);

        await using var db = await _bed.Database.Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.Set<KnowledgeDocument>().CountAsync());
        Assert.Equal(0, await db.Set<KnowledgeChunk>().CountAsync());
        Assert.DoesNotContain("knowledge.uploaded", await _bed.ActionsAsync());
    }
}
