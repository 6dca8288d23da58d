namespace AgentConsole.Engine.Prompts;

/// <summary>
/// One row of a side-by-side diff: the old line on the left, the new one on the right. A removed line and the added
/// line that took its place share a row; a side is null where that text has no line.
/// </summary>
public sealed record DiffRow(DiffLine? Left, DiffLine? Right)
{
    public bool Changed => Left?.Kind != DiffLineKind.Same || Right?.Kind != DiffLineKind.Same;
}
