using System.Text.RegularExpressions;
using MimeKit;

namespace AgentConsole.Engine.Tools.Email;

/// <summary>
/// Checks that a tool argument is exactly one bare address (name@example.com): no display name, no list, no header
/// tricks. The message never repeats the value, which may be personal data.
/// </summary>
public static partial class EmailAddresses
{
    public const int MaxLength = 254;

    public static bool IsValid(string? text) =>
        text is { Length: > 0 and <= MaxLength }
        && Shape().IsMatch(text)
        && MailboxAddress.TryParse(ParserOptions.Default, text, out var parsed)
        && string.Equals(parsed.Address, text, StringComparison.Ordinal);

    /// <summary>The trimmed address, or an <see cref="ToolFailureKind.InvalidArguments"/> failure naming the argument.</summary>
    public static string Require(string? text, string argument)
    {
        var trimmed = text?.Trim();
        return IsValid(trimmed)
            ? trimmed!
            : throw new ToolCallException(ToolFailureKind.InvalidArguments,
                $"'{argument}' must be one e-mail address such as name@example.com (no display name, no list).");
    }

    [GeneratedRegex(@"^[^@\s<>(),;:""\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
