namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>The system prompt the agent's runs send, and which version it is.</summary>
/// <param name="Version">The published prompt version; null while prompts are not versioned (the runtime builds the text).</param>
/// <param name="Source">Where the text comes from, in words.</param>
public sealed record DocumentedPrompt(string Text, string? Version, string Source)
{
    public bool Versioned => Version is not null;
}
