namespace AgentConsole.Engine.Prompts;

/// <summary>How one section changed between two prompt versions.</summary>
public sealed record PromptSectionDiff(string Key, string Heading, IReadOnlyList<DiffLine> Lines)
{
    public bool Changed => Lines.Any(l => l.Kind != DiffLineKind.Same);

    public int Added => Lines.Count(l => l.Kind == DiffLineKind.Added);

    public int Removed => Lines.Count(l => l.Kind == DiffLineKind.Removed);

    public IReadOnlyList<DiffRow> SideBySide => LineDiff.SideBySide(Lines);
}
