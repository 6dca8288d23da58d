using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>
/// Finds sensitive values in text. Built once per configuration and safe to share between threads. Custom patterns
/// run on the non-backtracking engine (time linear in the text, so <c>(a+)+$</c> cannot blow up); a pattern that needs
/// backtracking (look-arounds, back-references) keeps the backtracking engine with a per-match timeout. All custom
/// patterns together get a scan budget per text.
/// </summary>
/// <remarks>
/// A scan that times out or exceeds its budget throws <see cref="RegexMatchTimeoutException"/> (or its
/// <see cref="RedactionScanException"/>): the caller fails the model call rather than send text that was only half scanned.
/// </remarks>
public sealed partial class Redactor
{
    // Generous enough that a loaded machine never trips it on ordinary text, tight enough to stop a runaway custom pattern.
    private const int TimeoutMilliseconds = 1000;
    private const int MaxCustomPatternLength = 2_000;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(TimeoutMilliseconds);

    // Overlap ties go to the more specific detector: a secret or an e-mail address can contain digit runs that look
    // like cards or phone numbers, not the other way round.
    private const int SecretRank = 0;
    private const int EmailRank = 1;
    private const int CustomRank = 2;
    private const int IbanRank = 3;
    private const int CardRank = 4;
    private const int SsnRank = 5;
    private const int PhoneRank = 6;

    private readonly bool ssns;
    private readonly bool cards;
    private readonly bool ibans;
    private readonly bool emails;
    private readonly bool phones;
    private readonly bool secrets;
    private readonly (string Name, Regex Regex)[] custom;
    private readonly TimeSpan scanBudget;

    public Redactor(RedactionOptions options, IEnumerable<RedactionPattern>? agentPatterns = null)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Copied so that later changes to the (mutable, bound) options cannot change a shared redactor under a run.
        ssns = options.SocialSecurityNumbers;
        cards = options.PaymentCards;
        ibans = options.Ibans;
        emails = options.EmailAddresses;
        phones = options.PhoneNumbers;
        secrets = options.Secrets;

        var patterns = (options.CustomPatterns ?? []).Select(p => new RedactionPattern(p.Key, p.Value))
            .Concat(agentPatterns ?? []);
        scanBudget = TimeSpan.FromMilliseconds(Math.Max(1, options.ScanBudgetMilliseconds));
        var matchTimeout = scanBudget < MatchTimeout ? scanBudget : MatchTimeout;
        var compiled = new List<(string, Regex)>();
        foreach (var pattern in patterns)
        {
            ArgumentNullException.ThrowIfNull(pattern, nameof(agentPatterns));
            if (ValidatePattern(pattern.Name, pattern.Pattern) is { } error)
            {
                throw new ArgumentException(error, nameof(agentPatterns));
            }

            compiled.Add((pattern.Name, CompileCustom(pattern.Pattern, matchTimeout)));
        }

        custom = [.. compiled];
    }

    /// <summary>Whether a custom pattern runs on the non-backtracking engine (otherwise only its timeout bounds it).</summary>
    public static bool IsLinear(string pattern) => TryNonBacktracking(pattern, MatchTimeout) is not null;

    private static Regex CompileCustom(string pattern, TimeSpan timeout) =>
        TryNonBacktracking(pattern, timeout) ?? new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, timeout);

    private static Regex? TryNonBacktracking(string pattern, TimeSpan timeout)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, timeout);
        }
        catch (NotSupportedException)
        {
            // Look-arounds, back-references, atomic groups and conditionals need backtracking.
            return null;
        }
    }

    /// <summary>Checks a custom pattern as an owner typed it.</summary>
    /// <returns><see langword="null"/> when usable, otherwise a message that can be shown next to the field.</returns>
    public static string? ValidatePattern(string name, string pattern) => ValidateName(name) ?? ValidateRegex(name, pattern);

    /// <summary>Checks a custom pattern's placeholder name.</summary>
    public static string? ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "A redaction pattern needs a name, e.g. ORDER_ID.";
        }

        if (!PatternNameRegex().IsMatch(name))
        {
            return $"Redaction pattern name \"{name}\" must be 1 to 40 characters A–Z, 0–9 or _, starting with a letter (e.g. ORDER_ID).";
        }

        if (SensitiveKinds.BuiltIn.Contains(name))
        {
            return $"Redaction pattern name {name} is taken by a built-in detector; choose another name.";
        }

        return null;
    }

    /// <summary>Checks a custom pattern's regular expression (<paramref name="name"/> only names it in the message).</summary>
    public static string? ValidateRegex(string name, string pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return $"Redaction pattern {name} is empty.";
        }

        if (pattern.Length > MaxCustomPatternLength)
        {
            return $"Redaction pattern {name} is longer than {MaxCustomPatternLength} characters.";
        }

        Regex regex;
        try
        {
            regex = TryNonBacktracking(pattern, MatchTimeout) ?? new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            return $"Redaction pattern {name} is not a valid regular expression: {ex.Message}";
        }

        try
        {
            // A pattern that matches nothing at all would otherwise "match" between every two characters.
            if (regex.IsMatch(""))
            {
                return $"Redaction pattern {name} matches empty text; it must match at least one character.";
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return $"Redaction pattern {name} is too slow to evaluate.";
        }

        return null;
    }

    /// <summary>The sensitive values in <paramref name="text"/>: non-overlapping and ordered by index.</summary>
    public IReadOnlyList<SensitiveMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var found = new List<Candidate>();
        if (secrets)
        {
            AddSecrets(text, found);
        }

        if (emails)
        {
            AddAll(EmailRegex(), text, SensitiveKinds.Email, EmailRank, found);
        }

        if (custom.Length > 0)
        {
            AddCustom(text, found);
        }

        if (ibans)
        {
            AddIbans(text, found);
        }

        if (cards)
        {
            AddCards(text, found);
        }

        if (ssns)
        {
            AddAll(SsnRegex(), text, SensitiveKinds.Ssn, SsnRank, found);
        }

        if (phones)
        {
            AddPhones(text, found);
        }

        return Resolve(text, found);
    }

    /// <summary>Whether a JSON property or argument of this name holds a secret as a whole (<c>"password": "…"</c>).</summary>
    internal bool IsSecretName(string? name) => secrets && name is { Length: > 0 } && SecretNameRegex().IsMatch(name);

    /// <summary>Text shaped like a placeholder, whoever issued it.</summary>
    internal static Regex PlaceholderPattern => PlaceholderRegex();

    private readonly record struct Candidate(int Index, int Length, string Kind, int Rank)
    {
        public int End => Index + Length;
    }

    private static List<SensitiveMatch> Resolve(string text, List<Candidate> found)
    {
        var result = new List<SensitiveMatch>();
        if (found.Count == 0)
        {
            return result;
        }

        // Placeholders are already redacted; a custom pattern such as [A-Z_]+ must not redact them a second time.
        if (text.Contains('<', StringComparison.Ordinal))
        {
            var placeholders = PlaceholderRegex().Matches(text);
            if (placeholders.Count > 0)
            {
                found.RemoveAll(c => placeholders.Any(p => c.Index < p.Index + p.Length && p.Index < c.End));
            }
        }

        found.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index)
            : a.Length != b.Length ? b.Length.CompareTo(a.Length)
            : a.Rank.CompareTo(b.Rank));

        Candidate? current = null;
        foreach (var next in found)
        {
            if (current is { } c && next.Index < c.End)
            {
                // The earliest, longest match names the span, but the span grows to cover the overlapping one: dropping
                // it would leave its tail (say the last digits of a card) in the clear.
                if (next.End > c.End)
                {
                    current = c with { Length = next.End - c.Index };
                }

                continue;
            }

            if (current is { } done)
            {
                result.Add(new SensitiveMatch(done.Index, done.Length, done.Kind));
            }

            current = next;
        }

        if (current is { } last)
        {
            result.Add(new SensitiveMatch(last.Index, last.Length, last.Kind));
        }

        return result;
    }

    private void AddCustom(string text, List<Candidate> found)
    {
        // One budget for all custom patterns on this text, checked between matches: a pattern that matches very often,
        // or many patterns on a huge text, stop here instead of holding a model call (and a worker) for minutes.
        var started = Stopwatch.GetTimestamp();
        foreach (var (name, regex) in custom)
        {
            try
            {
                foreach (Match m in regex.Matches(text))
                {
                    if (m.Length > 0)
                    {
                        found.Add(new Candidate(m.Index, m.Length, name, CustomRank));
                    }

                    CheckBudget(name);
                }
            }
            catch (RegexMatchTimeoutException ex) when (ex is not RedactionScanException)
            {
                throw new RedactionScanException(name, scanBudget, ex);
            }

            CheckBudget(name);
        }

        void CheckBudget(string pattern)
        {
            if (Stopwatch.GetElapsedTime(started) > scanBudget)
            {
                throw new RedactionScanException(pattern, scanBudget, null);
            }
        }
    }

    private static void AddAll(Regex regex, string text, string kind, int rank, List<Candidate> found)
    {
        foreach (Match m in regex.Matches(text))
        {
            if (m.Length > 0)
            {
                found.Add(new Candidate(m.Index, m.Length, kind, rank));
            }
        }
    }

    private static void AddSecrets(string text, List<Candidate> found)
    {
        AddAll(KnownKeyRegex(), text, SensitiveKinds.Secret, SecretRank, found);

        // For "Bearer x" and "password=x" only the value is secret; the model still needs to see what it was.
        foreach (var regex in new[] { BearerRegex(), AssignmentRegex() })
        {
            foreach (Match m in regex.Matches(text))
            {
                var value = m.Groups["v"];
                if (value.Success && value.Length > 0)
                {
                    found.Add(new Candidate(value.Index, value.Length, SensitiveKinds.Secret, SecretRank));
                }
            }
        }
    }

    private static void AddIbans(string text, List<Candidate> found)
    {
        foreach (Match m in IbanRegex().Matches(text))
        {
            var span = text.AsSpan(m.Index, m.Length);

            // Spaced IBANs may have swallowed a following four-letter word ("… 7034 Bank"); drop trailing groups until
            // the check holds or too little is left.
            while (true)
            {
                if (Checksums.IbanMod97(span))
                {
                    found.Add(new Candidate(m.Index, span.Length, SensitiveKinds.Iban, IbanRank));
                    break;
                }

                var lastSpace = span.LastIndexOf(' ');
                if (lastSpace < 0)
                {
                    break;
                }

                span = span[..lastSpace];
                if (span.Length - span.Count(' ') < 15)
                {
                    break;
                }
            }
        }
    }

    private static void AddCards(string text, List<Candidate> found)
    {
        foreach (Match run in DigitRunRegex().Matches(text))
        {
            var groups = new List<(int Start, int Length)>();
            var end = run.Index + run.Length;
            for (var i = run.Index; i < end; i++)
            {
                var start = i;
                while (i < end && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                groups.Add((start, i - start));
            }

            // A run glued to a word or a decimal part ("…1111abc", "…1111.5") is an identifier or an amount, not a card.
            var lastUsable = end < text.Length && (IsWordChar(text[end]) || (text[end] is '.' or ',' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1])))
                ? groups.Count - 2
                : groups.Count - 1;

            // A run can hold a card among other numbers ("qty 2 4111 1111 1111 1111", "500 4111 …"). Every Luhn-valid
            // window of whole groups is a candidate; overlapping ones are merged later, so whichever reading is the card,
            // none of its digits stay in the clear.
            for (var g = 0; g <= lastUsable; g++)
            {
                var digits = 0;
                for (var h = g; h <= lastUsable; h++)
                {
                    digits += groups[h].Length;
                    if (digits > 19 || (h > g && !(IsCardGroup(groups[g].Length) && IsCardGroup(groups[h].Length))))
                    {
                        break;
                    }

                    var from = groups[g].Start;
                    var to = groups[h].Start + groups[h].Length;
                    if (digits >= 13 && Checksums.Luhn(text.AsSpan(from, to - from)))
                    {
                        found.Add(new Candidate(from, to - from, SensitiveKinds.Card, CardRank));
                    }
                }
            }
        }

        // Cards are printed in groups of four (Amex 4-6-5); groups of one or two digits are lists of small numbers.
        static bool IsCardGroup(int length) => length is >= 3 and <= 6;
    }

    private static void AddPhones(string text, List<Candidate> found)
    {
        AddAll(NorthAmericanPhoneRegex(), text, SensitiveKinds.Phone, PhoneRank, found);

        foreach (Match m in InternationalPhoneRegex().Matches(text))
        {
            // The pattern is generous with separators; trim trailing groups until the number has at most 15 digits
            // ("+1 555 123 4567 2026-11-26" is a phone number followed by a date).
            var span = text.AsSpan(m.Index, m.Length);
            while (CountDigits(span) > 15)
            {
                var cut = span.LastIndexOfAny(" .-()");
                if (cut < 0)
                {
                    break;
                }

                span = span[..cut].TrimEnd(" .-()");
            }

            var digits = CountDigits(span);
            if (digits is >= 8 and <= 15)
            {
                found.Add(new Candidate(m.Index, span.Length, SensitiveKinds.Phone, PhoneRank));
            }
        }

        static int CountDigits(ReadOnlySpan<char> s)
        {
            var n = 0;
            foreach (var c in s)
            {
                if (char.IsAsciiDigit(c))
                {
                    n++;
                }
            }

            return n;
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex PatternNameRegex();

    // Issued placeholders carry at most six digits, so a card or SSN wrapped in <…> is never mistaken for one.
    [GeneratedRegex("<[A-Z][A-Z0-9_]{0,40}_[1-9][0-9]{0,5}>", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex PlaceholderRegex();

    // Area 000, 666 and 9xx, group 00 and serial 0000 are never issued, so "000-12-3456" is some other number.
    // The separator must repeat, and a dash-joined neighbour means a longer code (an ISBN, a part number).
    [GeneratedRegex(@"(?<!\w|\d-)(?!000|666|9)\d{3}(?<s>[- ])(?!00)\d{2}\k<s>(?!0000)\d{4}(?!\w|-\d)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex SsnRegex();

    // Runs of digits joined by single spaces or dashes; the card windows inside are chosen in code.
    [GeneratedRegex(@"(?<!\w|\d[.,])\d+(?:[ -]\d+)*", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex DigitRunRegex();

    // Country code, check digits, then 11–30 characters either packed or in groups of four with a shorter last group.
    [GeneratedRegex(@"(?<!\w)[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?!\w)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeoutMilliseconds)]
    private static partial Regex IbanRegex();

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?<![\w+\-.(]|\d )(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[.-])\d{3}[.-]\d{4}(?!\w|[.-]\d)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex NorthAmericanPhoneRegex();

    [GeneratedRegex(@"(?<![\w+])\+\(?\d(?:[ .\-()]{0,2}\d){7,}(?!\w)", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex InternationalPhoneRegex();

    [GeneratedRegex("""
        (?<![A-Za-z0-9_-])
        (?: sk-(?:proj-)?[A-Za-z0-9_-]{20,}
          | gh[pousr]_[A-Za-z0-9]{20,}
          | github_pat_[A-Za-z0-9_]{20,}
          | xox[abprs]-[A-Za-z0-9-]{10,}
          | (?:AKIA|ASIA)[0-9A-Z]{16}
          | AIza[0-9A-Za-z_-]{35}
          | (?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}
          | eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*
        )
        (?![A-Za-z0-9_-])
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace, TimeoutMilliseconds)]
    private static partial Regex KnownKeyRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9])bearer\s+(?<v>[A-Za-z0-9\-._~+/]{20,}=*)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeoutMilliseconds)]
    private static partial Regex BearerRegex();

    // "api_key=…", "apiKey: …", "db_password = '…'", "\"token\": \"…\"": any name ending in one of the words, then the
    // value alone. Unquoted values stop at the characters that end a value in URLs, JSON and prose.
    [GeneratedRegex("""
        (?<![A-Za-z0-9_-])[A-Za-z0-9_-]*?
        (?:api[_-]?key|secret(?:[_-]?key)?|password|passwd|pwd|passphrase|token|private[_-]?key|access[_-]?key)
        ["']?\s*[:=]\s*
        (?: "(?<v>[^"\r\n]{1,512})"
          | '(?<v>[^'\r\n]{1,512})'
          | (?<v>[^\s"'<>,;&{}\[\]()]{3,512})
        )
        """, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace, TimeoutMilliseconds)]
    private static partial Regex AssignmentRegex();

    // Names, not values: "clientSecret", "db_password", "x-api-key", "accessToken" (but not "max_tokens").
    [GeneratedRegex("^.*?(?:api[_-]?key|secret|password|passwd|pwd|passphrase|token|private[_-]?key|access[_-]?key)$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeoutMilliseconds)]
    private static partial Regex SecretNameRegex();
}
