namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>One chunk as the chunker cuts it: the headings above it and its text.</summary>
public sealed record KnowledgePassage(string HeadingPath, string Text);
