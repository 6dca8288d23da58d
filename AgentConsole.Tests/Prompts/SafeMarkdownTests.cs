using AgentConsole.Prompts;

namespace AgentConsole.Tests.Prompts;

public sealed class SafeMarkdownTests
{
    [Fact]
    public void ToHtml_ShowsRawHtmlAsText()
    {
        var html = SafeMarkdown.ToHtml("- **never** <script>alert(1)</script>");

        Assert.Contains("<strong>never</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_DropsTheTargetOfScriptLinks_AndKeepsWebLinks()
    {
        var html = SafeMarkdown.ToHtml("[bad](javascript:alert(1)) and [guide](https://example.com/guide)");

        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"https://example.com/guide\"", html, StringComparison.Ordinal);
    }
}
