namespace AgentConsole.Engine.Prompts;

/// <summary>A tool as the prompt lint sees it: how a prompt may name it, and whether the agent may call it.</summary>
/// <param name="BuiltIn">Every agent has it (escalate, evaluate_decision): never "not granted", never required.</param>
public sealed record LintTool(string Key, string Title, bool Granted, bool BuiltIn = false);
