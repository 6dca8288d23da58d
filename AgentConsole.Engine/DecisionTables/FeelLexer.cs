using System.Globalization;
using System.Text;

namespace AgentConsole.Engine.DecisionTables;

internal enum TokenKind
{
    End,
    Number,
    String,
    Temporal,
    Name,
    True,
    False,
    Null,
    And,
    Or,
    Not,
    Function,
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    DotDot,
    /// <summary>A single '.', for paths such as <c>Loan.principal</c>.</summary>
    Dot,
    Colon,
    LeftBrace,
    RightBrace,
    /// <summary><c>?</c>: the value under test in a unary test.</summary>
    Question,
    /// <summary>A word of FEEL's grammar: if, then, else, for, return, some, every, satisfies, in, between.</summary>
    Keyword,
}

internal readonly record struct Token(TokenKind Kind, int Start, int End, string? Text = null, decimal Number = 0m)
{
    public int Length => End - Start;
}

internal sealed class FeelSyntaxException(string message, int offset, int length, bool exceedsLimit = false) : Exception(message)
{
    public int Offset { get; } = offset;

    public int Length { get; } = length;

    /// <summary>The text broke a size or nesting limit rather than the grammar; import and save refuse it.</summary>
    public bool ExceedsLimit { get; } = exceedsLimit;
}

/// <summary>Splits one cell into tokens. Known names are matched first, so names may contain spaces and keywords.</summary>
internal static class FeelLexer
{
    internal const string DateAndTime = "date and time";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "true", "false", "null", "and", "or", "not" };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "for", "return", "some", "every", "satisfies", "in", "between",
    };

    private static readonly HashSet<string> UnsupportedKeywords = new(StringComparer.Ordinal) { "instance", "function" };

    private static readonly HashSet<string> Functions = new(StringComparer.Ordinal) { "date", "time", "duration", DateAndTime };

    public static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';

    public static bool IsReservedWord(string word) => Reserved.Contains(word);

    public static bool IsFunctionName(string word) => Functions.Contains(word);

    public static List<Token> Tokenize(string text, FeelNames names)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, text.Length));
                return tokens;
            }

            var c = text[i];
            var start = i;
            switch (c)
            {
                case '"':
                    tokens.Add(ReadString(text, ref i, TokenKind.String, start));
                    continue;
                case '@' when i + 1 < text.Length && text[i + 1] == '"':
                    i++;
                    tokens.Add(ReadString(text, ref i, TokenKind.Temporal, start));
                    continue;
                case '\'' or '\u2018' or '\u2019' or '\u201C' or '\u201D':
                    throw new FeelSyntaxException("Strings use straight double quotes, e.g. \"SMB\".", i, 1);
                case '+':
                    tokens.Add(new Token(TokenKind.Plus, start, ++i));
                    continue;
                case '-':
                    tokens.Add(new Token(TokenKind.Minus, start, ++i));
                    continue;
                case '*':
                    i++;
                    if (i < text.Length && text[i] == '*')
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.StarStar, start, i));
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Star, start, i));
                    }

                    continue;
                case '/':
                    tokens.Add(new Token(TokenKind.Slash, start, ++i));
                    continue;
                case '=':
                    i++;
                    if (i < text.Length && text[i] == '=')
                    {
                        throw new FeelSyntaxException("FEEL compares with a single '='.", start, 2);
                    }

                    tokens.Add(new Token(TokenKind.Equal, start, i));
                    continue;
                case '!':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        i += 2;
                        tokens.Add(new Token(TokenKind.NotEqual, start, i));
                        continue;
                    }

                    throw new FeelSyntaxException("Unexpected '!'; write != for 'not equal' or not(...) to negate.", i, 1);
                case '<':
                    i++;
                    if (i < text.Length && text[i] == '=')
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.LessOrEqual, start, i));
                    }
                    else if (i < text.Length && text[i] == '>')
                    {
                        throw new FeelSyntaxException("FEEL writes 'not equal' as != or not(...).", start, 2);
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Less, start, i));
                    }

                    continue;
                case '>':
                    i++;
                    if (i < text.Length && text[i] == '=')
                    {
                        i++;
                        tokens.Add(new Token(TokenKind.GreaterOrEqual, start, i));
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Greater, start, i));
                    }

                    continue;
                case '(':
                    tokens.Add(new Token(TokenKind.LeftParen, start, ++i));
                    continue;
                case ')':
                    tokens.Add(new Token(TokenKind.RightParen, start, ++i));
                    continue;
                case '[':
                    tokens.Add(new Token(TokenKind.LeftBracket, start, ++i));
                    continue;
                case ']':
                    tokens.Add(new Token(TokenKind.RightBracket, start, ++i));
                    continue;
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, start, ++i));
                    continue;
                case '.' when i + 1 < text.Length && text[i + 1] == '.':
                    i += 2;
                    tokens.Add(new Token(TokenKind.DotDot, start, i));
                    continue;
                case '.' when i + 1 >= text.Length || !char.IsAsciiDigit(text[i + 1]):
                    tokens.Add(new Token(TokenKind.Dot, start, ++i));
                    continue;
                case ':':
                    tokens.Add(new Token(TokenKind.Colon, start, ++i));
                    continue;
                case '{':
                    tokens.Add(new Token(TokenKind.LeftBrace, start, ++i));
                    continue;
                case '}':
                    tokens.Add(new Token(TokenKind.RightBrace, start, ++i));
                    continue;
                case '?':
                    tokens.Add(new Token(TokenKind.Question, start, ++i));
                    continue;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }

            if (IsNameStart(c))
            {
                tokens.Add(ReadWord(text, ref i, names));
                continue;
            }

            throw new FeelSyntaxException($"Unexpected character '{c}'.", i, 1);
        }
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        // "1..5" is a range, so a dot followed by another dot ends the number.
        if (i < text.Length && text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && IsNameStart(text[i]))
        {
            throw new FeelSyntaxException($"'{text[start..(i + 1)]}' is not a number.", start, i + 1 - start);
        }

        var literal = text[start..i];
        if (!decimal.TryParse(literal, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new FeelSyntaxException($"The number {literal} is too large.", start, i - start);
        }

        return new Token(TokenKind.Number, start, i, literal, value);
    }

    private static Token ReadString(string text, ref int i, TokenKind kind, int start)
    {
        var quote = i;
        i++;
        var builder = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return new Token(kind, start, i, builder.ToString());
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    break;
                }

                var escape = text[i + 1];
                switch (escape)
                {
                    case '"' or '\\' or '\'':
                        builder.Append(escape);
                        i += 2;
                        continue;
                    case 'n':
                        builder.Append('\n');
                        i += 2;
                        continue;
                    case 'r':
                        builder.Append('\r');
                        i += 2;
                        continue;
                    case 't':
                        builder.Append('\t');
                        i += 2;
                        continue;
                    case 'u':
                        if (i + 6 <= text.Length
                            && int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            builder.Append((char)code);
                            i += 6;
                            continue;
                        }

                        throw new FeelSyntaxException("\\u needs four hexadecimal digits, e.g. \\u00e9.", i, Math.Min(6, text.Length - i));
                    default:
                        throw new FeelSyntaxException($"Unknown escape '\\{escape}' in string; use \\\", \\\\, \\n, \\r, \\t or \\uXXXX.", i, 2);
                }
            }

            builder.Append(c);
            i++;
        }

        throw new FeelSyntaxException("Unterminated string: add the closing \".", quote, text.Length - quote);
    }

    private static Token ReadWord(string text, ref int i, FeelNames names)
    {
        var start = i;
        var word = PeekWord(text, i);

        // A built-in conversion function wins over a variable of the same name when it is called.
        if (word is "date" && TryMatchDateAndTime(text, i, out var end))
        {
            i = end;
            return new Token(TokenKind.Function, start, i, DateAndTime);
        }

        if (IsFunctionName(word) && NextNonSpace(text, i + word.Length) == '(')
        {
            i += word.Length;
            return new Token(TokenKind.Function, start, i, word);
        }

        var known = names.MatchAt(text, i);
        if (known is not null)
        {
            i += known.Length;
            return new Token(TokenKind.Name, start, i, known);
        }

        i += word.Length;
        switch (word)
        {
            case "true":
                return new Token(TokenKind.True, start, i);
            case "false":
                return new Token(TokenKind.False, start, i);
            case "null":
                return new Token(TokenKind.Null, start, i);
            case "and":
                return new Token(TokenKind.And, start, i);
            case "or":
                return new Token(TokenKind.Or, start, i);
            case "not":
                return new Token(TokenKind.Not, start, i);
        }

        if (Keywords.Contains(word))
        {
            return new Token(TokenKind.Keyword, start, i, word);
        }

        if (UnsupportedKeywords.Contains(word))
        {
            throw new FeelSyntaxException($"'{word}' expressions are not supported.", start, word.Length);
        }

        // FEEL never puts two names side by side, so consecutive plain words are one multi-word name.
        var name = new StringBuilder(word);
        while (true)
        {
            var j = i;
            while (j < text.Length && text[j] is ' ' or '\t')
            {
                j++;
            }

            if (j == i || j >= text.Length || !IsNameStart(text[j]))
            {
                break;
            }

            var next = PeekWord(text, j);
            if (IsReservedWord(next) || Keywords.Contains(next) || UnsupportedKeywords.Contains(next) || (IsFunctionName(next) && NextNonSpace(text, j + next.Length) == '('))
            {
                break;
            }

            name.Append(' ').Append(next);
            i = j + next.Length;
        }

        return new Token(TokenKind.Name, start, i, name.ToString());
    }

    private static string PeekWord(string text, int i)
    {
        var end = i;
        while (end < text.Length && IsNamePart(text[end]))
        {
            end++;
        }

        return text[i..end];
    }

    private static char NextNonSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i < text.Length ? text[i] : '\0';
    }

    private static bool TryMatchDateAndTime(string text, int i, out int end)
    {
        end = i;
        var j = i + 4;
        foreach (var part in new[] { "and", "time" })
        {
            var k = j;
            while (k < text.Length && text[k] is ' ' or '\t')
            {
                k++;
            }

            if (k == j || PeekWord(text, k) != part)
            {
                return false;
            }

            j = k + part.Length;
        }

        if (NextNonSpace(text, j) != '(')
        {
            return false;
        }

        end = j;
        return true;
    }
}
