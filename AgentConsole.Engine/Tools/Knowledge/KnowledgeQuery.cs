using System.Globalization;

namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>
/// Turns a question (from a model or a person) into an FTS5 query that ranks rather than filters: every word and every
/// "quoted phrase" is a quoted FTS5 string, joined with OR, so BM25 orders passages by how many of the rarer words they
/// hold. FTS5 syntax in the input (NEAR, AND/OR/NOT, column filters such as <c>text:</c>, <c>^</c>, <c>*</c>, brackets,
/// stray quotes) is only text: no input can produce an FTS5 syntax error or reach another column's operators.
/// </summary>
public static class KnowledgeQuery
{
    public const int MaxChars = 1_000;
    public const int MaxTerms = 32;

    /// <param name="Terms">The words and phrases as typed, for PostgreSQL's search; the same ones <paramref name="Match"/> ORs together.</param>
    public sealed record Result(string? Match, string? Error, IReadOnlyList<string> Terms)
    {
        public Result(string? match, string? error)
            : this(match, error, [])
        {
        }
    }

    public static Result Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return new Result(null, "Type what to search for.");
        }

        if (input.Length > MaxChars)
        {
            return new Result(null, $"The search text is too long (at most {MaxChars:N0} characters).");
        }

        var terms = new List<string>();
        var texts = new List<string>();
        var i = 0;
        while (i < input.Length && terms.Count < MaxTerms)
        {
            if (char.IsWhiteSpace(input[i]))
            {
                i++;
                continue;
            }

            var close = input[i] == '"' ? input.IndexOf('"', i + 1) : -1;
            if (close > i)
            {
                // A phrase: its words must occur together and in order.
                Add(terms, texts, input[(i + 1)..close]);
                i = close + 1;
                continue;
            }

            // Outside quotes only runs of letters and digits are words, so "text:refund" or "NEAR(a b)" are just words.
            var start = i;
            while (i < input.Length && IsWordChar(input[i]))
            {
                i++;
            }

            if (i == start)
            {
                i++;
                continue;
            }

            Add(terms, texts, input[start..i]);
        }

        return terms.Count == 0
            ? new Result(null, "Type letters or digits to search for; punctuation alone matches nothing.")
            : new Result(string.Join(" OR ", terms), null, texts);
    }

    // Combining accents belong to their letter (a decomposed "é"), as the unicode61 tokenizer sees it.
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static void Add(List<string> terms, List<string> texts, string term)
    {
        if (terms.Count >= MaxTerms || !term.Any(char.IsLetterOrDigit))
        {
            return;
        }

        var quoted = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        if (!terms.Contains(quoted, StringComparer.OrdinalIgnoreCase))
        {
            terms.Add(quoted);
            texts.Add(term);
        }
    }
}
