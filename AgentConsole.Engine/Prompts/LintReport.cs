namespace AgentConsole.Engine.Prompts;

/// <summary>Everything the prompt lint found, worst first.</summary>
public sealed record LintReport(int Words, IReadOnlyList<LintFinding> Findings)
{
    public LintSummary Summary => new(
        Words,
        Findings.Count(f => f.Severity == LintSeverity.Error),
        Findings.Count(f => f.Severity == LintSeverity.Warning),
        Findings.Count(f => f.Severity == LintSeverity.Info));
}
