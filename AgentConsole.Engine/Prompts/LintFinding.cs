namespace AgentConsole.Engine.Prompts;

/// <summary>One thing the prompt lint noticed, worded for the business owner who writes the prompt.</summary>
/// <param name="Rule">Stable rule id (e.g. <c>prohibitions-count</c>), for tests and filters.</param>
/// <param name="Section">The section key (<see cref="PromptSections.InOrder"/>) it is about; null: the whole prompt.</param>
public sealed record LintFinding(LintSeverity Severity, string Rule, string? Section, string Message);
