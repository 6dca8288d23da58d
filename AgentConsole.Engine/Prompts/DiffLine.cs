namespace AgentConsole.Engine.Prompts;

/// <summary>One line of a line diff, with its line number in the old and the new text (null where it does not exist).</summary>
public sealed record DiffLine(DiffLineKind Kind, string Text, int? OldNumber, int? NewNumber);
