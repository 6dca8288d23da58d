namespace AgentConsole.Components.Pages.DecisionTables;

public enum FindingSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>One problem the editor shows: from parsing a cell, compiling the table or analysing its rules.</summary>
public sealed record EditorFinding(FindingSeverity Severity, string Kind, string Message, IReadOnlyList<CellRef> Cells, string? Example = null);
