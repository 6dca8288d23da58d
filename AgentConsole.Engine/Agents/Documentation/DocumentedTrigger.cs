using AgentConsole.Engine.Triggers;

namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>A trigger that starts the agent, with its filter in words (null: every event starts a run).</summary>
public sealed record DocumentedTrigger(string Key, string Name, TriggerKind Kind, bool Enabled, string? Filter);
