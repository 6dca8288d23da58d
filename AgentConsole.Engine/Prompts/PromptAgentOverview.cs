namespace AgentConsole.Engine.Prompts;

/// <summary>One agent on the Prompts page: its published version, its drafts and the lint of the version people work on.</summary>
/// <param name="Lint">The lint of the latest draft, else of the published version; null while the agent has no version.</param>
public sealed record PromptAgentOverview(string Key, string Name, int? Published, IReadOnlyList<int> Drafts, LintSummary? Lint);
