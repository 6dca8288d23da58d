using System.Diagnostics;

namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>
/// Proves properties of a decision table exactly, without sampling: gaps (inputs no rule matches), overlaps that break
/// UNIQUE or ANY, rules that can never fire, values outside the allowed values, type errors and parse errors.
/// </summary>
/// <remarks>
/// <para>Each input entry becomes the set of values for which FEEL's three-valued test is true: intervals for numbers,
/// dates, date-times, times and durations; finite or co-finite sets for strings; subsets of {true, false} for booleans.
/// A rule is the box (product) of its cells; gaps are the domain minus the union of boxes, found by
/// <see cref="CoverageSearch"/> over per-column atoms.</para>
/// <para>Null: <c>-</c> and <c>null</c> match null; <c>= x</c> and lists of values do not; <c>!= x</c> does (null differs
/// from x); <c>&lt;</c>, <c>&gt;</c> and ranges are null for a null input, so neither they nor their <c>not(...)</c> match it;
/// <c>not(x)</c> matches null exactly when <c>x</c> is false for null (so <c>not("X")</c> matches null).
/// That is FEEL's equality and three-valued logic. Inputs are assumed present, so null is part of a column's domain only when the column
/// mentions <c>null</c> or <see cref="TableAnalysisOptions.IncludeNullInputs"/> is set.</para>
/// <para>Cells that compare with another input or compute with names cannot be decided exactly. They count as matching
/// everything when looking for gaps and as matching nothing when looking for overlaps and masking rules, so every
/// reported finding is real; the rule gets a <see cref="FindingKind.Partial"/> finding and the analysis is marked partial.</para>
/// </remarks>
public static class DecisionTableAnalyzer
{
    public static TableAnalysis Analyze(DecisionTableDefinition table, TableAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var started = Stopwatch.GetTimestamp();
        var run = new AnalysisRun(table, options ?? TableAnalysisOptions.Default);
        run.Execute();
        return new TableAnalysis
        {
            Findings = run.Findings.ToEquatableArray(),
            IsPartial = run.IsPartial,
            PartialCells = run.PartialCells.ToEquatableArray(),
            Duration = Stopwatch.GetElapsedTime(started),
            GapCount = run.GapCount,
            OverlapCount = run.OverlapCount,
            SearchSteps = run.SearchSteps,
        };
    }
}
