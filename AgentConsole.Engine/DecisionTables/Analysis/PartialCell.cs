namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>
/// A cell the analysis could not reason about exactly, so gaps, overlaps and masking that involve it are neither
/// reported nor ruled out: an input entry (<see cref="RuleIndex"/> set) or a column's allowed values (<see cref="RuleIndex"/>
/// null). <see cref="Column"/> is the zero-based input column; <see cref="Input"/> its name (the expression for path
/// columns); <see cref="Reason"/> says why, e.g. "it compares with 'Max Amount', whose value is only known when the table runs".
/// </summary>
public sealed record PartialCell(int? RuleIndex, string? RuleId, int Column, string Input, string Text, string Reason);
