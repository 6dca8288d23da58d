using CsCheck;

namespace AgentConsole.Tests.DecisionTables.Fuzzing;

/// <summary>Random and adversarial FEEL texts: what a careless editor, a broken exporter or an attacker could put in a cell.</summary>
internal static class FeelFuzzInputs
{
    // The pieces cells are made of, plus the ones that stress the lexer: huge numbers, bad escapes, stray quotes.
    private static readonly string[] Fragments =
    [
        "(", ")", "[", "]", "-", "+", "*", "**", "/", "..", ",", "not(", "not", "date(", "date and time(", "duration(", "time(",
        "\"", "\"a\"", "\"2026-01-31\"", "\"P1Y2M\"", "\"-P10675199DT2H48M5.4775808S\"", "@\"P1D\"", "@\"2026-01-01\"", "1", "0.5", ".5",
        "79228162514264337593543950335", "79228162514264337593543950336", "99999999999999999999999999999999999999", "1e5",
        "Age", "Risk Category", "x", "true", "false", "null", "and", "or", "<", "<=", ">", ">=", "=", "==", "!=", "<>", "!",
        " ", "  ", "\n", "\t", "\\", "\\u12", "\\u00e9", "\\q", "'", "\u201C", "?", "if", "then", "some", "P1Y", "-P999999999Y",
        "10 ** 1000", "0 / 0", "\u0000", "\uD800", "ü", "名前",
    ];

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    /// <summary>Concatenations of FEEL fragments: mostly almost-valid text.</summary>
    public static readonly Gen<string> FeelLike = Gen.OneOf(Fragments).Array[0, 30].Select(string.Concat);

    /// <summary>Arbitrary characters, surrogates and controls included.</summary>
    public static readonly Gen<string> RandomText = Gen.String[Gen.Char, 0, 120];

    /// <summary>Deep nesting of every construct that recurses, closed or left open, around a value.</summary>
    public static readonly Gen<string> DeepNesting =
        from open in Gen.OneOf("(", "-", "- ", "not(", "date(", "duration(", "[", "((", "-(", "not(-", "[(", "(1..")
        from count in Gen.Frequency((6, Gen.Int[1, 3_000]), (1, Gen.Int[3_000, 60_000]))
        from inner in Gen.OneOf("1", "x", "\"a\"", "", "Age", "@\"P1D\"")
        from closed in Gen.Bool
        select Repeat(open, count) + inner + (closed ? Repeat(")", count) : "");

    /// <summary>Long operator chains: parsed by a loop, but each operator adds a level to the tree.</summary>
    public static readonly Gen<string> LongChains =
        from op in Gen.OneOf("+", "-", "*", "**", "/", " and ", " or ", " = ", ",")
        from count in Gen.Int[1, 5_000]
        from operand in Gen.OneOf("x", "1", "\"a\"", "-x", "(x)")
        select operand + Repeat(op + operand, count);

    /// <summary>Numbers with many digits, exponents and signs.</summary>
    public static readonly Gen<string> HugeNumbers =
        from sign in Gen.OneOf("", "-", "--", "- -")
        from digits in Gen.Int[1, 400]
        from fraction in Gen.Int[0, 400]
        from digit in Gen.Char["0123456789"]
        select sign + new string(digit, digits) + (fraction > 0 ? "." + new string(digit, fraction) : "");

    /// <summary>Strings left open, with escapes cut off and quotes inside.</summary>
    public static readonly Gen<string> UnterminatedStrings =
        from prefix in Gen.OneOf("", "@", "date(", "not(", "< ", "[", "x = ")
        from body in Gen.OneOf(Gen.Const("abc"), Gen.Const("\\"), Gen.Const("\\u"), Gen.Const("\\u00"), Gen.String[Gen.Char, 0, 30])
        select prefix + "\"" + body;

    /// <summary>Everything above, in the proportions the fuzz tests use.</summary>
    public static readonly Gen<string> Any = Gen.Frequency(
        (4, FeelLike), (2, RandomText), (2, DeepNesting), (2, LongChains), (1, HugeNumbers), (1, UnterminatedStrings));
}
