using System.Text;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// Cuts a Markdown (or plain-text) document into passages a search can return on their own: a new passage at every
/// heading, paragraphs packed up to <c>maxChars</c>, a long paragraph split at sentence ends, and the end of a passage
/// repeated at the start of the next one of the same section so a sentence on the border is found from either side.
/// Each passage keeps its heading path ("Returns › Refunds"), which is indexed too.
/// </summary>
public static partial class MarkdownChunker
{
    public const string HeadingSeparator = " › ";

    public static IReadOnlyList<KnowledgePassage> Chunk(string content, int maxChars = 1_200, int overlapChars = 150)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(overlapChars * 2, maxChars);
        var passages = new List<KnowledgePassage>();
        var headings = new List<(int Level, string Text)>();
        var paragraphs = new List<string>();
        var paragraph = new StringBuilder();
        string? fence = null;

        void EndParagraph()
        {
            if (paragraph.Length > 0)
            {
                var text = paragraph.ToString().Trim();
                if (text.Length > 0)
                {
                    paragraphs.Add(text);
                }

                paragraph.Clear();
            }
        }

        void EndSection()
        {
            EndParagraph();
            Pack(string.Join(HeadingSeparator, headings.Select(h => h.Text)), paragraphs, maxChars, overlapChars, passages);
            paragraphs.Clear();
        }

        foreach (var raw in content.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            var fenceMatch = Fence().Match(line);
            if (fenceMatch.Success && (fence is null || line.TrimStart().StartsWith(fence, StringComparison.Ordinal)))
            {
                // Code blocks stay whole paragraphs, and a '#' inside them is no heading.
                fence = fence is null ? fenceMatch.Groups[1].Value : null;
                paragraph.Append(line).Append('\n');
                continue;
            }

            if (fence is not null)
            {
                paragraph.Append(line).Append('\n');
                continue;
            }

            var heading = Heading().Match(line);
            if (heading.Success)
            {
                EndSection();
                var level = heading.Groups[1].Value.Length;
                headings.RemoveAll(h => h.Level >= level);
                var text = heading.Groups[2].Value.Trim().TrimEnd('#').Trim();
                if (text.Length > 0)
                {
                    headings.Add((level, text));
                }

                continue;
            }

            if (line.Trim().Length == 0)
            {
                EndParagraph();
                continue;
            }

            paragraph.Append(line).Append('\n');
        }

        EndSection();
        return passages;
    }

    private static void Pack(string headingPath, List<string> paragraphs, int maxChars, int overlapChars, List<KnowledgePassage> passages)
    {
        // Pieces are small enough that a piece plus the overlap and a separator always fit in one passage.
        var size = maxChars - overlapChars - 2;
        var pieces = paragraphs.SelectMany(p => Split(p, size).Select((text, i) => (Text: text, NewParagraph: i == 0))).ToList();
        var current = new StringBuilder();
        var hasOwnText = false;
        foreach (var (piece, newParagraph) in pieces)
        {
            if (hasOwnText && current.Length + 2 + piece.Length > maxChars)
            {
                var done = current.ToString();
                passages.Add(new KnowledgePassage(headingPath, done));
                current.Clear().Append(Tail(done, overlapChars));
                hasOwnText = false;
            }

            if (current.Length > 0)
            {
                current.Append(newParagraph ? "\n\n" : " ");
            }

            current.Append(piece);
            hasOwnText = true;
        }

        if (hasOwnText)
        {
            passages.Add(new KnowledgePassage(headingPath, current.ToString()));
        }
    }

    /// <summary>
    /// A paragraph longer than <paramref name="size"/> is cut into its sentences (packed again by the caller), and a
    /// sentence still too long at a space, else hard.
    /// </summary>
    private static IEnumerable<string> Split(string paragraph, int size)
    {
        if (paragraph.Length <= size)
        {
            yield return paragraph;
            yield break;
        }

        foreach (var sentence in SentenceEnd().Split(paragraph).Where(s => s.Length > 0))
        {
            var rest = sentence;
            while (rest.Length > size)
            {
                var cut = rest[..size].LastIndexOfAny([' ', '\n']);
                if (cut < size / 2)
                {
                    cut = size;
                }

                yield return rest[..cut].Trim();
                rest = rest[cut..].TrimStart();
            }

            if (rest.Length > 0)
            {
                yield return rest;
            }
        }
    }

    /// <summary>The last words of a passage, up to <paramref name="chars"/> characters, starting at a word.</summary>
    private static string Tail(string text, int chars)
    {
        if (chars == 0 || text.Length <= chars)
        {
            return chars == 0 ? "" : text;
        }

        var tail = text[^chars..];
        var space = tail.IndexOfAny([' ', '\n']);
        return (space >= 0 ? tail[(space + 1)..] : tail).Trim();
    }

    [GeneratedRegex(@"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^ {0,3}(`{3,}|~{3,})")]
    private static partial Regex Fence();
}
