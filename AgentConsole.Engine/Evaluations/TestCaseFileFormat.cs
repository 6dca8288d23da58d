namespace AgentConsole.Engine.Evaluations;

/// <summary>The file formats cases are imported from and exported to; both carry the same fields, one case per line.</summary>
public enum TestCaseFileFormat
{
    Csv,
    JsonLines,
}
