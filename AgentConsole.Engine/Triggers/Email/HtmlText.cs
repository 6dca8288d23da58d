using System.Text;
using MimeKit.Text;

namespace AgentConsole.Engine.Triggers.Email;

/// <summary>The readable text of an HTML body (for messages without a plain-text part): tags dropped, blocks on their own lines, scripts and styles left out.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "hr",
    };

    public static string Convert(string html)
    {
        var text = new StringBuilder(html.Length / 2);
        var skipping = 0;
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Name is "script" or "style":
                    skipping += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skipping = Math.Max(0, skipping);
                    break;
                case HtmlTagToken tag when BlockTags.Contains(tag.Name):
                    text.Append('\n');
                    break;
                case HtmlDataToken data when skipping == 0:
                    text.Append(data.Data);
                    break;
            }
        }

        // Collapse the runs of blank lines and spaces that markup leaves behind.
        var lines = text.ToString().Split('\n').Select(l => string.Join(' ', l.Split((char[])[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', lines.Where(l => l.Length > 0));
    }
}
