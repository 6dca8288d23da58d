using System.Text;

namespace AgentConsole.Engine.Audit;

/// <summary>
/// Turns what a person types into a safe FTS5 query: every word and "quoted phrase" is matched literally
/// (all must occur), <c>word*</c> is a prefix and <c>-word</c> excludes. FTS5 operators and stray quotes or
/// asterisks in the input are just text, so no input can produce an FTS5 syntax error. The parsed terms are kept
/// too, so PostgreSQL's search can build the same query as a tsquery.
/// </summary>
public static class FtsQuery
{
    /// <param name="Match">The FTS5 query; null when there is nothing to match (no text, or an error).</param>
    /// <param name="Include">The words and phrases that must all occur.</param>
    /// <param name="Exclude">The words and phrases that must not occur.</param>
    public sealed record Result(string? Match, string? Error, IReadOnlyList<Term> Include, IReadOnlyList<Term> Exclude)
    {
        public Result(string? match, string? error)
            : this(match, error, [], [])
        {
        }
    }

    /// <summary>A word or phrase as typed (quotes removed); <paramref name="Prefix"/> when its last word ends in <c>*</c>.</summary>
    public sealed record Term(string Text, bool Prefix);

    public static Result Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return new Result(null, null);
        }

        if (input.Length > 1_000)
        {
            return new Result(null, "The search text is too long (at most 1,000 characters).");
        }

        var include = new List<Term>();
        var exclude = new List<Term>();
        var i = 0;
        while (i < input.Length)
        {
            if (char.IsWhiteSpace(input[i]))
            {
                i++;
                continue;
            }

            var negate = input[i] == '-' && i + 1 < input.Length && !char.IsWhiteSpace(input[i + 1]);
            if (negate)
            {
                i++;
            }

            string term;
            var prefix = false;
            var close = input[i] == '"' ? input.IndexOf('"', i + 1) : -1;
            if (close > i)
            {
                term = input[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var start = i;
                while (i < input.Length && !char.IsWhiteSpace(input[i]))
                {
                    i++;
                }

                term = input[start..i];
                if (term.EndsWith('*'))
                {
                    term = term.TrimEnd('*');
                    prefix = true;
                }

                // An unbalanced quote is just a character.
                term = term.Replace("\"", "", StringComparison.Ordinal);
            }

            if (!HasSearchableText(term))
            {
                continue;
            }

            (negate ? exclude : include).Add(new Term(term, prefix));
        }

        if (include.Count == 0)
        {
            return exclude.Count > 0
                ? new Result(null, "Add at least one word to search for; a '-word' only excludes.")
                : new Result(null, "Type letters or digits to search for; punctuation alone matches nothing.");
        }

        var match = new StringBuilder(string.Join(" AND ", include.Select(Quote)));
        foreach (var term in exclude)
        {
            match.Append(" NOT ").Append(Quote(term));
        }

        return new Result(match.ToString(), null, include, exclude);
    }

    private static string Quote(Term term) => "\"" + term.Text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" + (term.Prefix ? "*" : "");

    private static bool HasSearchableText(string term) => term.Any(char.IsLetterOrDigit);
}
