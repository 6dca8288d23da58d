using System.Text;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Triggers.Database;

/// <summary>
/// The save-time check of a polled query: one SELECT (or WITH … SELECT) statement that uses <c>@cursor</c> and says
/// what a NULL cursor (the first poll) returns. The real guard is the read-only connection the poller opens (SQLite
/// <c>Mode=ReadOnly</c> with <c>query_only</c>, PostgreSQL <c>SET TRANSACTION READ ONLY</c>); this check gives a clear
/// message at save time instead of a failing poll later.
/// </summary>
internal static partial class RecordQueryCheck
{
    public const int MaxQueryChars = 8_000;

    private static readonly HashSet<string> WritingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "DROP", "ALTER", "CREATE", "TRUNCATE", "GRANT", "REVOKE",
        "ATTACH", "DETACH", "PRAGMA", "VACUUM", "REINDEX", "ANALYZE", "COPY", "CALL", "EXECUTE", "INTO", "LOCK", "LISTEN", "NOTIFY",
    };

    /// <summary>Null when the query is acceptable, else what to change.</summary>
    public static string? Problem(string sql)
    {
        if (sql.Length is 0 or > MaxQueryChars)
        {
            return $"Give one SELECT of at most {MaxQueryChars:N0} characters.";
        }

        var code = WithoutLiteralsAndComments(sql).Trim();
        if (code.EndsWith(';'))
        {
            code = code[..^1].TrimEnd();
        }

        if (code.Contains(';', StringComparison.Ordinal))
        {
            return "Give exactly one statement (no ';' between statements).";
        }

        var words = Word().Matches(code).Select(m => m.Value).ToList();
        if (words.Count == 0 || !(words[0].Equals("SELECT", StringComparison.OrdinalIgnoreCase) || words[0].Equals("WITH", StringComparison.OrdinalIgnoreCase)))
        {
            return "The query must be a SELECT (or WITH … SELECT); this trigger only reads.";
        }

        if (words.FirstOrDefault(WritingWords.Contains) is { } writing)
        {
            return $"The query may only read: '{writing.ToUpperInvariant()}' is not allowed.";
        }

        if (!CursorParameter().IsMatch(code))
        {
            return "Use the parameter @cursor for the last value seen, e.g. WHERE id > COALESCE(@cursor, 0) ORDER BY id.";
        }

        if (!NullCursor().IsMatch(code))
        {
            return "Say what the first poll returns, when @cursor is NULL: write COALESCE(@cursor, <lowest value>) or " +
                   "(@cursor IS NULL OR …), e.g. WHERE id > COALESCE(@cursor, 0) ORDER BY id.";
        }

        return null;
    }

    /// <summary>The SQL with string literals, quoted identifiers and comments blanked, so words inside them do not count.</summary>
    private static string WithoutLiteralsAndComments(string sql)
    {
        var result = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var end = i + 1;
                while (end < sql.Length)
                {
                    if (sql[end] != close)
                    {
                        end++;
                    }
                    else if (close != ']' && end + 1 < sql.Length && sql[end + 1] == close)
                    {
                        end += 2; // a doubled quote inside the literal
                    }
                    else
                    {
                        break;
                    }
                }

                result.Append(' ');
                i = end;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
                result.Append(' ');
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 1;
                result.Append(' ');
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    [GeneratedRegex(@"[A-Za-z_]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"@cursor\b", RegexOptions.IgnoreCase)]
    private static partial Regex CursorParameter();

    [GeneratedRegex(@"coalesce\s*\(\s*@cursor\b|@cursor(\s*::\s*\w+)?\s+is\s+null", RegexOptions.IgnoreCase)]
    private static partial Regex NullCursor();
}
