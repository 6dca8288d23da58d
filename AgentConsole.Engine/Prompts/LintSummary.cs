namespace AgentConsole.Engine.Prompts;

/// <summary>A prompt's lint in numbers: its length and how many findings of each severity.</summary>
public sealed record LintSummary(int Words, int Errors, int Warnings, int Infos)
{
    public bool Clean => Errors == 0 && Warnings == 0;
}
