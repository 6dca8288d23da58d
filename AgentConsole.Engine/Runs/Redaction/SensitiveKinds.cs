namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>The built-in kinds; they double as placeholder names (<c>&lt;SSN_1&gt;</c>).</summary>
internal static class SensitiveKinds
{
    public const string Ssn = "SSN";
    public const string Card = "CARD";
    public const string Iban = "IBAN";
    public const string Email = "EMAIL";
    public const string Phone = "PHONE";
    public const string Secret = "SECRET";

    public static readonly IReadOnlySet<string> BuiltIn = new HashSet<string>(StringComparer.Ordinal) { Ssn, Card, Iban, Email, Phone, Secret };
}
