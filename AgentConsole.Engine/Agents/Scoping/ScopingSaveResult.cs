namespace AgentConsole.Engine.Agents.Scoping;

/// <summary>The outcome of saving an agent's scoping data.</summary>
public sealed record ScopingSaveResult(AgentSaveOutcome Outcome, AgentScoping? Scoping, IReadOnlyDictionary<string, string[]> Errors, string? Message);
