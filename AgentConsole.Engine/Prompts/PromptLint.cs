using System.Globalization;
using System.Text.RegularExpressions;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Engine.Prompts;

/// <summary>
/// Checks a prompt against the practice guide's rules for a system prompt written as a job description: its length,
/// the "You must never:" list, the tools it names against the tools the agent holds, an escalation path, vague
/// mandates and the edge cases. Pure and fast: the workbench runs it on every pause in typing.
/// </summary>
public static partial class PromptLint
{
    /// <summary>Below this a production prompt is usually underspecified (the guide: 1,500–4,000 words is normal).</summary>
    public const int ShortBelowWords = 1_500;

    public const int LongAboveWords = 4_000;

    /// <summary>The guide: past 8,000 words the agent is doing too many jobs; split it.</summary>
    public const int SplitAboveWords = 8_000;

    public const int MinProhibitions = 5;
    public const int MaxProhibitions = 10;
    public const int MinEdgeCases = 5;

    /// <summary>Mandates so broad that an agent reads them as permission to do anything (the guide's scope-creep failure).</summary>
    public static readonly IReadOnlyList<string> VagueMandates =
    [
        "be helpful",
        "handle customer inquiries",
        "handle any request",
        "do your best",
        "assist with anything",
        "help with anything",
        "do whatever it takes",
        "whatever the customer needs",
        "anything the customer asks",
    ];

    /// <summary>Words that show the prompt tells the agent when and how to hand a case to a person.</summary>
    private static readonly string[] EscalationWords =
        ["escalat", "a person", "a human", "human review", "reviewer", "hand over", "hand it over", "hand off", "hand the case", "handoff"];

    /// <summary>The tools a prompt for <paramref name="agent"/> may name: everything registered, marked granted or built in.</summary>
    public static IReadOnlyList<LintTool> ToolsFor(ToolRegistry registry, Agent agent)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(agent);
        var granted = agent.Tools.Select(g => g.Tool).ToHashSet(StringComparer.Ordinal);
        return [.. registry.All.Select(t => new LintTool(t.Key, t.Title, granted.Contains(t.Key), t.BuiltIn))];
    }

    public static LintReport Check(PromptSections sections, IReadOnlyList<LintTool> tools)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(tools);
        var findings = new List<LintFinding>();
        var all = string.Join("\n\n", sections.InOrder().Select(s => s.Text));
        var words = CountWords(all);

        CheckLength(words, findings);
        CheckProhibitions(sections.Prohibitions, findings);
        CheckTools(all, tools, findings);
        CheckEscalation(all, tools, findings);
        CheckVagueMandates(sections, findings);
        CheckEdgeCases(sections.EdgeCases, findings);

        return new LintReport(words, [.. findings.OrderByDescending(f => f.Severity)]);
    }

    /// <summary>Words as a reader counts them: runs of text holding a letter or digit (Markdown bullets and rules are not words).</summary>
    public static int CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var token in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Any(char.IsLetterOrDigit))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Top-level Markdown list items ("- x", "* x", "1. x"); nested items belong to the item above them.</summary>
    public static int CountListItems(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ListItem().Count(text);
    }

    private static void CheckLength(int words, List<LintFinding> findings)
    {
        var n = words.ToString("N0", CultureInfo.InvariantCulture);
        if (words > SplitAboveWords)
        {
            findings.Add(new(LintSeverity.Error, "length-split", null,
                $"The prompt has {n} words, more than {SplitAboveWords:N0}: this agent is doing too many jobs. Split it into smaller agents, each with its own prompt."));
        }
        else if (words > LongAboveWords)
        {
            findings.Add(new(LintSeverity.Warning, "length-long", null,
                $"The prompt has {n} words; production prompts usually run {ShortBelowWords:N0}–{LongAboveWords:N0}. Look for repetition or a second job hiding in it."));
        }
        else if (words < ShortBelowWords)
        {
            findings.Add(new(LintSeverity.Info, "length-short", null,
                $"The prompt has {n} words; production prompts usually run {ShortBelowWords:N0}–{LongAboveWords:N0}. A short prompt often leaves the agent to guess: spell out the common path and the edge cases."));
        }
    }

    private static void CheckProhibitions(string text, List<LintFinding> findings)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            findings.Add(new(LintSeverity.Error, "prohibitions-missing", "prohibitions",
                $"The \"You must never:\" section is empty. List {MinProhibitions}–{MaxProhibitions} things the agent must never do, such as promising prices or delivery dates or editing another team's records."));
            return;
        }

        var items = CountListItems(text);
        if (items < MinProhibitions)
        {
            findings.Add(new(LintSeverity.Warning, "prohibitions-count", "prohibitions",
                $"The \"You must never:\" section lists {items} prohibition(s); write at least {MinProhibitions}, one per list item (\"- ...\")."));
        }
        else if (items > MaxProhibitions)
        {
            findings.Add(new(LintSeverity.Warning, "prohibitions-count", "prohibitions",
                $"The \"You must never:\" section lists {items} prohibitions; keep it to the {MaxProhibitions} that matter most so none gets lost."));
        }
    }

    private static void CheckTools(string all, IReadOnlyList<LintTool> tools, List<LintFinding> findings)
    {
        foreach (var tool in tools.Where(t => !t.BuiltIn))
        {
            var mentioned = Mentions(all, tool);
            if (mentioned && !tool.Granted)
            {
                findings.Add(new(LintSeverity.Warning, "tool-not-granted", "tools",
                    $"The prompt mentions the tool \"{tool.Title}\" ({tool.Key}), but the agent is not granted it: the agent will try a tool it cannot call. Grant it on the agent page or remove it from the prompt."));
            }
            else if (!mentioned && tool.Granted)
            {
                findings.Add(new(LintSeverity.Warning, "tool-not-mentioned", "tools",
                    $"The agent is granted \"{tool.Title}\" ({tool.Key}), but the prompt never says when to use it. Describe it in the Tools section, or take the grant away."));
            }
        }
    }

    private static void CheckEscalation(string all, IReadOnlyList<LintTool> tools, List<LintFinding> findings)
    {
        var escalates = EscalationWords.Any(w => all.Contains(w, StringComparison.OrdinalIgnoreCase))
            || tools.Any(t => t.Key == BuiltInTools.Escalate && Mentions(all, t));
        if (!escalates)
        {
            findings.Add(new(LintSeverity.Warning, "no-escalation", null,
                "The prompt never says when to hand a case to a person. Say which cases the agent must escalate (the escalate tool) and what it tells the reviewer."));
        }
    }

    private static void CheckVagueMandates(PromptSections sections, List<LintFinding> findings)
    {
        foreach (var (key, heading, text) in sections.InOrder())
        {
            foreach (var phrase in VagueMandates.Where(p => ContainsPhrase(text, p)))
            {
                findings.Add(new(LintSeverity.Warning, "vague-mandate", key,
                    $"\"{phrase}\" in {heading} is a vague mandate: the agent may read it as permission to do anything. Say exactly which tasks it does, and which it does not."));
            }
        }
    }

    private static void CheckEdgeCases(string text, List<LintFinding> findings)
    {
        var cases = string.IsNullOrWhiteSpace(text) ? 0 : Math.Max(CountListItems(text), SubHeading().Count(text));
        if (cases < MinEdgeCases)
        {
            findings.Add(new(LintSeverity.Warning, "edge-cases", "edgeCases",
                $"The Edge cases section handles {cases} case(s); write down how to handle the top {MinEdgeCases}–10 (boundary values, missing fields, instructions hidden in a message, sensitive data), one per list item."));
        }
    }

    /// <summary>A tool is mentioned by its key (crm_find_company, or with spaces) or its title, as whole words.</summary>
    private static bool Mentions(string text, LintTool tool) =>
        ContainsPhrase(text, tool.Key) || ContainsPhrase(text, tool.Key.Replace('_', ' ')) || ContainsPhrase(text, tool.Title);

    private static bool ContainsPhrase(string text, string phrase)
    {
        if (phrase.Length == 0)
        {
            return false;
        }

        for (var at = text.IndexOf(phrase, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(phrase, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + phrase.Length;
            if ((at == 0 || !IsWordChar(text[at - 1])) && (end == text.Length || !IsWordChar(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    [GeneratedRegex(@"^ {0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S", RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^ {0,3}#{3,6}[ \t]+\S", RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SubHeading();
}
