using Markdig;
using Markdig.Renderers;

namespace AgentConsole.Prompts;

/// <summary>
/// Markdown to HTML for previews of text people type: raw HTML is shown as text, and links to anything but the web,
/// mail or the page itself (javascript:, data:) lose their target.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UsePipeTables().UseEmphasisExtras().Build();

    public static string ToHtml(string? markdown)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer) { LinkRewriter = Rewrite };
        Pipeline.Setup(renderer);
        renderer.Render(Markdown.Parse(markdown ?? "", Pipeline));
        writer.Flush();
        return writer.ToString();
    }

    private static string Rewrite(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || url.StartsWith('#')
            ? url
            : "#";
}
