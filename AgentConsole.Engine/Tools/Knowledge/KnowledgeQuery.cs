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

    public sealed record Result(string? Match, string? Error);

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
        var i = 0;
        while (i < input.Length && terms.Count < MaxTerms)
        {
            if (char.IsWhiteSpace(input[i]))
            {
                i++;
                continue;
            }

            string term;
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

                term = input[start..i].Replace("\"", "", StringComparison.Ordinal);
            }

            if (term.Any(char.IsLetterOrDigit))
            {
                var quoted = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                if (!terms.Contains(quoted, StringComparer.OrdinalIgnoreCase))
                {
                    terms.Add(quoted);
                }
            }
        }

        return terms.Count == 0
            ? new Result(null, "Type letters or digits to search for; punctuation alone matches nothing.")
            : new Result(string.Join(" OR ", terms), null);
    }
}
