using AgentConsole.Engine.Audit;

namespace AgentConsole.Benchmarks.Audit;

/// <summary>One search as the API gets it, and the FTS5 MATCH expression the direct baseline uses for it.</summary>
internal sealed record SearchCase(string Kind, string Label, AuditQuery Query, string Match);

internal sealed record SearchKind(string Name, string Description, IReadOnlyList<SearchCase> Cases);

/// <summary>
/// The fixed query mix. Every kind has several variants that iterations cycle through, so a kind's figures are
/// not those of one lucky term: common and rarer words, and 7-day windows from the newest week back to three
/// months ago (an old window is the hard case for newest-first paging).
/// </summary>
internal static class SearchCases
{
    public const int PageSize = 50;

    public static IReadOnlyList<SearchKind> Build(DateTimeOffset newest)
    {
        var words = new[] { "invoice", "timeout", "hubspot", "refunded", "duplicate" };
        var phrases = new[] { "credit limit exceeded", "rate limit", "missing purchase order", "route to inside-sales" };
        var filteredWords = new[] { "failed", "approved", "escalated" };
        var filteredAgents = new[] { "lead-router", "invoice-triage", "refund-approver", "vendor-screener" };
        var windowsBack = new[] { 0, 30, 60, 90 };

        var wordCases = words
            .Select(w => new SearchCase("word", w, new AuditQuery { Text = w, Limit = PageSize }, Quote(w)))
            .ToList();
        var phraseCases = phrases
            .Select(p => new SearchCase("phrase", $"\"{p}\"", new AuditQuery { Text = $"\"{p}\"", Limit = PageSize }, Quote(p)))
            .ToList();
        var filteredCases = new List<SearchCase>();
        for (var i = 0; i < 12; i++)
        {
            var word = filteredWords[i % filteredWords.Length];
            var agent = filteredAgents[i % filteredAgents.Length];
            var back = windowsBack[i / 3];
            var to = newest.AddDays(-back);
            var from = to.AddDays(-7);
            filteredCases.Add(new SearchCase(
                "word+agent+7d",
                $"{word}, agent {agent}, {from:MM-dd}..{to:MM-dd} ({back} d back)",
                new AuditQuery { Text = word, Agent = agent, From = from, To = to, Limit = PageSize },
                Quote(word)));
        }

        return
        [
            new SearchKind("single word", "one word, newest first", wordCases),
            new SearchKind("phrase", "one quoted phrase, newest first", phraseCases),
            new SearchKind("word + agent + 7 days", "one word, one agent, a 7-day window", filteredCases),
        ];
    }

    // What FtsQuery makes of a plain word or phrase: a literal FTS5 string.
    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
