using AgentConsole.Engine.Runs.Redaction;
using CsCheck;

namespace AgentConsole.Tests.Runs.Redaction;

public sealed class RedactionPropertyTests
{
    private static readonly Redactor Default = new(new RedactionOptions());

    private static readonly Gen<string> Ssn =
        from area in Gen.Int[1, 899].Where(a => a != 666)
        from grp in Gen.Int[1, 99]
        from serial in Gen.Int[1, 9999]
        from separator in Gen.OneOf("-", " ")
        select $"{area:000}{separator}{grp:00}{separator}{serial:0000}";

    private static readonly Gen<string> Card =
        from prefix in Gen.OneOf("4", "51", "55", "37", "6011")
        from body in Gen.Int[0, 9].Array[16 - prefix.Length - 1]
        from separator in Gen.OneOf("", " ", "-")
        select Format(prefix + string.Concat(body), separator);

    private static readonly Gen<string> Email =
        from local in Gen.Char['a', 'z'].Array[1, 10]
        from domain in Gen.Char['a', 'z'].Array[1, 10]
        from tld in Gen.OneOf("com", "io", "co.uk")
        select $"{new string(local)}@{new string(domain)}.{tld}";

    private static readonly Gen<string> Filler = Gen.OneOf(
        "the", "customer", "500", "employees", "2026-11-26", "$1,234.56", "order", "123456", "at", "10:30", "(ok)", "id:", "x", "\n");

    private static readonly Gen<(string Text, string[] Secrets)> Texts =
        from parts in Gen.Frequency((6, Filler.Select(f => (f, false))), (1, Ssn.Select(s => (s, true))), (1, Card.Select(c => (c, true))), (1, Email.Select(e => (e, true)))).Array[0, 30]
        select (string.Join(" ", parts.Select(p => p.Item1)), parts.Where(p => p.Item2).Select(p => p.Item1).ToArray());

    [Fact]
    public void Redact_HidesEveryEmbeddedValue_AndRestoreGivesTheTextBack()
    {
        Texts.Sample(sample =>
        {
            var vault = new RedactionVault(Default);

            var redacted = vault.Redact(sample.Text);

            return sample.Secrets.All(s => !redacted.Contains(s, StringComparison.Ordinal)) && vault.Restore(redacted) == sample.Text;
        });
    }

    [Fact]
    public void Redact_IsStable_ForTheSameValueInAVault()
    {
        Texts.Sample(sample =>
        {
            var vault = new RedactionVault(Default);

            var first = vault.Redact(sample.Text);
            var count = vault.Count;

            return vault.Redact(sample.Text) == first && vault.Count == count && vault.Redact(first) == first;
        });
    }

    // Completes the number with its Luhn check digit, then groups it in fours.
    private static string Format(string digits, string separator)
    {
        var number = digits + CheckDigit(digits);
        return string.Join(separator, number.Chunk(4).Select(c => new string(c)));
    }

    private static int CheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return (10 - (sum % 10)) % 10;
    }
}
