namespace AgentConsole.Engine.Prompts;

/// <summary>
/// A system prompt written as the practice guide's job description, one Markdown text per section. The runtime sends
/// them as one document (see <see cref="PromptDocument"/>); the lint reads them section by section.
/// </summary>
public sealed class PromptSections
{
    public string Role { get; set; } = "";
    public string Tools { get; set; } = "";
    public string Boundaries { get; set; } = "";

    /// <summary>The common path, step by step.</summary>
    public string CommonPath { get; set; } = "";
    public string EdgeCases { get; set; } = "";

    /// <summary>The "You must never:" list, one prohibition per list item.</summary>
    public string Prohibitions { get; set; } = "";

    public PromptSections Clone() => (PromptSections)MemberwiseClone();

    /// <summary>The sections in document order with their headings.</summary>
    public IEnumerable<(string Key, string Heading, string Text)> InOrder()
    {
        yield return ("role", "Role", Role);
        yield return ("tools", "Tools", Tools);
        yield return ("boundaries", "Boundaries", Boundaries);
        yield return ("commonPath", "Common path", CommonPath);
        yield return ("edgeCases", "Edge cases", EdgeCases);
        yield return ("prohibitions", "You must never:", Prohibitions);
    }
}
