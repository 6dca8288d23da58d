namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>One sensitive value in a text.</summary>
/// <param name="Kind">SSN, CARD, IBAN, EMAIL, PHONE, SECRET or the name of a custom pattern.</param>
public readonly record struct SensitiveMatch(int Index, int Length, string Kind)
{
    public int End => Index + Length;
}
