namespace AgentConsole.Engine.Tools.Messaging;

/// <summary>One page of a sandbox list and how many rows the whole list has.</summary>
public sealed record SandboxPage<T>(IReadOnlyList<T> Items, int Total);
