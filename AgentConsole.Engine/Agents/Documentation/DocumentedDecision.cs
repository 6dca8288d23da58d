using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>
/// A decision bound to the agent at the version its runs evaluate (the published one; the draft when nothing is
/// published yet, which runs do not use).
/// </summary>
/// <param name="Version">The version number shown; null when the decision has no version to show.</param>
/// <param name="Published">Whether <paramref name="Version"/> is the published version runs evaluate.</param>
/// <param name="DraftVersion">A newer draft being edited, if any.</param>
public sealed record DocumentedDecision(string Key, string Name, int? Version, bool Published, int? DraftVersion, DmnDecision? Definition);
