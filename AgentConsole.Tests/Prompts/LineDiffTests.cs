using AgentConsole.Engine.Prompts;

namespace AgentConsole.Tests.Prompts;

public sealed class LineDiffTests
{
    [Fact]
    public void Compare_KeepsUnchangedLines_AndMarksInsertionsAndDeletions()
    {
        var lines = LineDiff.Compare("a\nb\nc\nd", "a\nc\nx\nd");

        Assert.Equal(
            ["  a", "- b", "  c", "+ x", "  d"],
            lines.Select(l => (l.Kind switch { DiffLineKind.Added => "+ ", DiffLineKind.Removed => "- ", _ => "  " }) + l.Text));
        Assert.Equal((4, 4), (lines[^1].OldNumber, lines[^1].NewNumber));
    }

    [Fact]
    public void Compare_ReportsEveryLineAdded_FromAnEmptyText()
    {
        Assert.All(LineDiff.Compare("", "one\ntwo"), l => Assert.Equal(DiffLineKind.Added, l.Kind));
        Assert.Empty(LineDiff.Compare("", ""));
    }

    [Fact]
    public void SideBySide_PairsARemovedLineWithTheLineThatReplacedIt()
    {
        var rows = LineDiff.SideBySide(LineDiff.Compare("keep\nold\nend", "keep\nnew\nextra\nend"));

        Assert.Equal(4, rows.Count);
        Assert.Equal(("old", "new"), (rows[1].Left!.Text, rows[1].Right!.Text));
        Assert.Null(rows[2].Left);
        Assert.Equal("extra", rows[2].Right!.Text);
        Assert.False(rows[0].Changed);
    }
}
