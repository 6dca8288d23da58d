namespace AgentConsole.Engine.Evaluations;

/// <summary>Why one line of an imported file was refused (1-based; a CSV record spanning lines is reported at its first).</summary>
public sealed record TestCaseLineError(int Line, string Message)
{
    public override string ToString() => $"Line {Line}: {Message}";
}
