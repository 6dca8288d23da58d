using AgentConsole.Engine.Prompts;

namespace AgentConsole.Tests.Prompts;

public sealed class PromptLintTests
{
    private static readonly LintTool[] Tools =
    [
        new("crm_find_company", "Find a company", Granted: true),
        new("email_send", "Send an e-mail", Granted: true),
        new("calendar_create_event", "Create a calendar event", Granted: false),
        new("escalate", "Escalate to a person", Granted: false, BuiltIn: true),
    ];

    private static string Words(int n) => string.Join(' ', Enumerable.Repeat("word", n));

    private static string List(int n, string stem = "item") => string.Join('\n', Enumerable.Range(1, n).Select(i => $"- {stem} {i}"));

    /// <summary>A prompt every rule is happy with; each test breaks one thing.</summary>
    private static PromptSections Good() => new()
    {
        Role = "You route inbound leads for the sales team. " + Words(1_600),
        Tools = "Use crm_find_company to look the company up. Use Send an e-mail (email_send) to reply to the lead.",
        Boundaries = "When a case is unclear, call escalate and tell the reviewer what you saw.",
        CommonPath = "1. Read the lead.\n2. Look the company up.\n3. Reply.",
        EdgeCases = List(5, "edge case"),
        Prohibitions = List(6, "never do"),
    };

    private static LintReport Lint(PromptSections sections) => PromptLint.Check(sections, Tools);

    private static string[] Rules(LintReport report) => [.. report.Findings.Select(f => f.Rule)];

    [Fact]
    public void Check_FindsNothing_WhenThePromptFollowsTheGuide()
    {
        var report = Lint(Good());

        Assert.Empty(report.Findings);
        Assert.True(report.Summary.Clean);
        Assert.InRange(report.Words, 1_500, 4_000);
    }

    [Theory]
    [InlineData(100, "length-short", LintSeverity.Info)]
    [InlineData(4_500, "length-long", LintSeverity.Warning)]
    [InlineData(8_500, "length-split", LintSeverity.Error)]
    public void Check_JudgesTheLength_OutsideTheNormalRange(int words, string rule, LintSeverity severity)
    {
        var sections = Good();
        sections.Role = "You route inbound leads. " + Words(words);

        var finding = Assert.Single(Lint(sections).Findings, f => f.Rule.StartsWith("length", StringComparison.Ordinal));

        Assert.Equal(rule, finding.Rule);
        Assert.Equal(severity, finding.Severity);
        Assert.Null(finding.Section);
    }

    [Fact]
    public void Check_SaysSplitThisAgent_AboveEightThousandWords()
    {
        var sections = Good();
        sections.Role = Words(8_001);

        var finding = Assert.Single(Lint(sections).Findings, f => f.Rule == "length-split");

        Assert.Contains("Split it", finding.Message, StringComparison.Ordinal);
        Assert.Equal(1, Lint(sections).Summary.Errors);
    }

    [Fact]
    public void CountWords_IgnoresMarkdownMarks()
    {
        Assert.Equal(4, PromptLint.CountWords("- one\n- two\n\n## three --- *four*"));
    }

    [Fact]
    public void Check_ReportsAnError_WhenTheProhibitionsSectionIsEmpty()
    {
        var sections = Good();
        sections.Prohibitions = "  ";

        var finding = Assert.Single(Lint(sections).Findings);

        Assert.Equal(("prohibitions-missing", LintSeverity.Error, "prohibitions"), (finding.Rule, finding.Severity, finding.Section));
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(10, false)]
    [InlineData(11, true)]
    public void Check_CountsProhibitions_AsTopLevelListItems(int items, bool flagged)
    {
        var sections = Good();
        // Nested items and prose do not count as prohibitions of their own.
        sections.Prohibitions = "Plain text first.\n" + List(items) + "\n    - a nested detail";

        Assert.Equal(flagged, Rules(Lint(sections)).Contains("prohibitions-count"));
    }

    [Fact]
    public void CountListItems_CountsBulletsAndNumbers_ButNotNestedItems()
    {
        Assert.Equal(3, PromptLint.CountListItems("- a\n* b\n    - nested\n2) c\nnot an item"));
    }

    [Fact]
    public void Check_FlagsATool_MentionedButNotGranted()
    {
        var sections = Good();
        sections.Tools += " Then book a call with calendar_create_event.";

        var finding = Assert.Single(Lint(sections).Findings);

        Assert.Equal("tool-not-granted", finding.Rule);
        Assert.Contains("calendar_create_event", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FindsATool_ByItsTitle()
    {
        var sections = Good();
        sections.CommonPath += "\n4. Create a calendar event for the call.";

        Assert.Equal(["tool-not-granted"], Rules(Lint(sections)));
    }

    [Fact]
    public void Check_FlagsAGrantedTool_ThePromptNeverMentions()
    {
        var sections = Good();
        sections.Tools = "Use crm_find_company to look the company up.";

        var finding = Assert.Single(Lint(sections).Findings);

        Assert.Equal("tool-not-mentioned", finding.Rule);
        Assert.Contains("email_send", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DoesNotMatchAToolKey_InsideALongerWord()
    {
        var sections = Good();
        sections.Tools = "Use crm_find_company. The email_sender field is not a tool.";

        Assert.Contains("tool-not-mentioned", Rules(Lint(sections)));
    }

    [Fact]
    public void Check_WarnsOfNoEscalationPath_WhenThePromptNeverHandsOver()
    {
        var sections = Good();
        sections.Boundaries = "Stay within the sales process.";

        var finding = Assert.Single(Lint(sections).Findings);

        Assert.Equal("no-escalation", finding.Rule);
    }

    [Theory]
    [InlineData("When unsure, call escalate.")]
    [InlineData("When unsure, hand over to a person.")]
    [InlineData("Unclear cases go to a reviewer.")]
    public void Check_AcceptsAnyEscalationWording(string boundaries)
    {
        var sections = Good();
        sections.Boundaries = boundaries;

        Assert.DoesNotContain("no-escalation", Rules(Lint(sections)));
    }

    [Fact]
    public void Check_FlagsVagueMandates_WithThePhraseAndTheSection()
    {
        var sections = Good();
        sections.Role = "Be helpful and handle customer inquiries. " + sections.Role;

        var findings = Lint(sections).Findings.Where(f => f.Rule == "vague-mandate").ToList();

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("role", f.Section));
        Assert.Contains(findings, f => f.Message.Contains("\"be helpful\"", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("\"handle customer inquiries\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_DoesNotFlagAVaguePhrase_InsideOtherWords()
    {
        var sections = Good();
        sections.Role = "Maybe helpful notes follow. " + sections.Role;

        Assert.Empty(Lint(sections).Findings);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("- one\n- two\n- three\n- four", true)]
    [InlineData("### Ten employees\ntext\n### Missing fields\n### Injection\n### SSN\n### Duplicate", false)]
    public void Check_WantsFiveEdgeCases(string edgeCases, bool flagged)
    {
        var sections = Good();
        sections.EdgeCases = edgeCases;

        Assert.Equal(flagged, Rules(Lint(sections)).Contains("edge-cases"));
    }

    [Fact]
    public void Check_ListsErrorsFirst_AndSummarisesTheCounts()
    {
        var report = Lint(new PromptSections { Role = "Be helpful." });

        Assert.Equal(LintSeverity.Error, report.Findings[0].Severity);
        var summary = report.Summary;
        Assert.Equal((1, 5, 1), (summary.Errors, summary.Warnings, summary.Infos));
        Assert.False(summary.Clean);
    }
}
