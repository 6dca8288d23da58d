namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>The check-digit tests that keep ordinary numbers from being taken for cards and IBANs.</summary>
internal static class Checksums
{
    /// <summary>Luhn over the digits of <paramref name="text"/>; separators are skipped.</summary>
    public static bool Luhn(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>ISO 7064 mod 97-10 as IBANs use it; spaces are skipped, letters count as 10–35.</summary>
    public static bool IbanMod97(ReadOnlySpan<char> text)
    {
        Span<char> compact = stackalloc char[text.Length];
        var n = 0;
        foreach (var c in text)
        {
            if (c != ' ')
            {
                compact[n++] = char.ToUpperInvariant(c);
            }
        }

        if (n < 5)
        {
            return false;
        }

        // The country code and check digits move to the end before the remainder is taken.
        var remainder = 0;
        for (var i = 0; i < n; i++)
        {
            var c = compact[(i + 4) % n];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }
}
