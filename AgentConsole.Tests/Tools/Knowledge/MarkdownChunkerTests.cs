using AgentConsole.Engine.Tools.Knowledge;

namespace AgentConsole.Tests.Tools.Knowledge;

public sealed class MarkdownChunkerTests
{
    [Fact]
    public void Chunk_StartsAPassageAtEveryHeading_KeepingTheHeadingPath()
    {
        var passages = MarkdownChunker.Chunk("""
            Intro before any heading.

            # Handbook
            Welcome.

            ## Travel
            Book trains.

            ### Abroad
            Take your passport.

            ## Expenses ##
            Keep receipts.
            """);

        Assert.Equal(
            [("", "Intro before any heading."), ("Handbook", "Welcome."), ("Handbook › Travel", "Book trains."),
             ("Handbook › Travel › Abroad", "Take your passport."), ("Handbook › Expenses", "Keep receipts.")],
            passages.Select(p => (p.HeadingPath, p.Text)));
    }

    [Fact]
    public void Chunk_KeepsCodeBlocksWhole_AndIgnoresHashesInsideThem()
    {
        var passages = MarkdownChunker.Chunk("""
            # Scripts
            Run this:

            ```bash
            # not a heading

            echo done
            ```
            """);

        var passage = Assert.Single(passages);
        Assert.Equal("Scripts", passage.HeadingPath);
        Assert.Contains("# not a heading\n\necho done", passage.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunk_SplitsALongSection_IntoPassagesWithinTheLimit_ThatOverlap()
    {
        var sentences = Enumerable.Range(1, 60).Select(i => $"Sentence number {i} explains one more detail of the refund process.");
        var text = "# Refunds\n\n" + string.Join(" ", sentences.Take(30)) + "\n\n" + string.Join(" ", sentences.Skip(30));

        var passages = MarkdownChunker.Chunk(text, maxChars: 1_200, overlapChars: 150);

        Assert.True(passages.Count >= 3, $"{passages.Count} passages");
        Assert.All(passages, p => Assert.InRange(p.Text.Length, 1, 1_200));
        Assert.All(passages, p => Assert.Equal("Refunds", p.HeadingPath));
        Assert.All(passages.SkipLast(1), p => Assert.True(p.Text.Length >= 800, $"a passage of {p.Text.Length} characters"));
        foreach (var (previous, next) in passages.Zip(passages.Skip(1)))
        {
            var firstWords = next.Text[..40];
            Assert.Contains(firstWords, previous.Text, StringComparison.Ordinal);
        }

        // Every sentence survives the cut.
        Assert.All(sentences, s => Assert.Contains(passages, p => p.Text.Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public void Chunk_DoesNotCarryOverlapAcrossHeadings()
    {
        var passages = MarkdownChunker.Chunk("# A\n\n" + new string('x', 50) + " end of a.\n\n# B\n\nStart of b.");

        Assert.Equal("Start of b.", passages.Single(p => p.HeadingPath == "B").Text);
    }

    [Fact]
    public void Chunk_OfPlainText_SplitsParagraphsWithoutHeadings()
    {
        var passages = MarkdownChunker.Chunk("First paragraph.\r\n\r\nSecond paragraph.");

        Assert.Equal("First paragraph.\n\nSecond paragraph.", Assert.Single(passages).Text);
        Assert.Equal("", passages[0].HeadingPath);
    }

    [Fact]
    public void Chunk_OfHeadingsOnly_HasNoPassages()
    {
        Assert.Empty(MarkdownChunker.Chunk("# Title\n\n## Empty section\n\n   \n"));
    }

    [Fact]
    public void Chunk_CutsAWordlessRunHard_WithinTheLimit()
    {
        var passages = MarkdownChunker.Chunk(new string('a', 5_000), maxChars: 1_000, overlapChars: 100);

        Assert.All(passages, p => Assert.True(p.Text.Length <= 1_000));
        Assert.True(passages.Sum(p => p.Text.Length) >= 5_000);
    }
}
