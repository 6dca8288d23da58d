namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>What a finding is about.</summary>
public enum FindingKind
{
    /// <summary>Input combinations that no rule matches.</summary>
    Gap,

    /// <summary>Two rules that match the same input where the hit policy forbids it (UNIQUE; ANY with different outputs).</summary>
    Overlap,

    /// <summary>A rule that can never be the one that fires: it matches nothing, or earlier / higher-priority rules mask it.</summary>
    Unreachable,

    /// <summary>An entry names a value outside the input's allowed values, or an output outside the output values.</summary>
    OutsideAllowedValues,

    /// <summary>A literal of the wrong type for its column.</summary>
    TypeError,

    /// <summary>A cell that is not valid S-FEEL.</summary>
    ParseError,

    /// <summary>Part of the table could not be reasoned about exactly, so some gaps or overlaps may be missing.</summary>
    Partial,
}

public enum FindingSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>Which part of the table a highlighted cell is.</summary>
public enum FindingCellKind
{
    /// <summary>An input column's header (its expression).</summary>
    InputExpression,

    /// <summary>An input column's allowed values.</summary>
    InputValues,

    InputEntry,

    /// <summary>An output column's output values.</summary>
    OutputValues,

    OutputEntry,
}

/// <summary>
/// A cell for an editor to highlight. <see cref="RuleIndex"/> and <see cref="Column"/> are zero-based; the column counts
/// inputs for input kinds and outputs for output kinds. <see cref="Span"/> narrows the highlight to part of the text.
/// </summary>
public sealed record FindingCell(FindingCellKind Kind, int? RuleIndex, string? RuleId, int Column, TextSpan? Span = null);

/// <summary>One input's part of a gap or overlap, e.g. <c>10 ≤ employees &lt; 11</c>; inputs left unconstrained are omitted.</summary>
public sealed record FindingCondition(int Input, string InputName, string Text);

/// <summary>
/// One result of <see cref="DecisionTableAnalyzer.Analyze"/>. <see cref="Example"/> is a concrete input, keyed like
/// <see cref="DecisionInput.Expression"/> (the input's name for the usual plain-name columns), that demonstrates a gap
/// (matches no rule) or an overlap (matches both rules).
/// </summary>
public sealed record TableFinding
{
    public required FindingKind Kind { get; init; }

    public required FindingSeverity Severity { get; init; }

    public required string Message { get; init; }

    /// <summary>Zero-based indexes of the rules involved, in rule order.</summary>
    public EquatableArray<int> Rules { get; init; }

    public EquatableArray<FindingCell> Cells { get; init; }

    public EquatableArray<FindingCondition> Conditions { get; init; }

    public IReadOnlyDictionary<string, object?>? Example { get; init; }

    /// <summary>
    /// <see cref="Example"/> shaped as evaluation inputs: path columns (<c>Lead.employees</c>) nested into their record
    /// (<c>{"Lead": {"employees": 10}}</c>), plain names as they are. Null when the columns' paths conflict.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? ExampleInputs { get; init; }

    /// <summary>The parser's error for <see cref="FindingKind.ParseError"/>: message, offset, line and column in the cell.</summary>
    public FeelSyntaxError? SyntaxError { get; init; }

    public override string ToString() => $"{Severity} {Kind}: {Message}";
}

/// <summary>The outcome of analysing one decision table.</summary>
public sealed record TableAnalysis
{
    public required EquatableArray<TableFinding> Findings { get; init; }

    /// <summary>True when some cell could not be reasoned about exactly or the search hit its budget: the findings are
    /// all real, but some gaps or overlaps may be missing. <see cref="FindingKind.Partial"/> findings say where.</summary>
    public required bool IsPartial { get; init; }

    /// <summary>
    /// The cells behind <see cref="IsPartial"/>: entries (and allowed values) the analysis could not reduce to exact value
    /// sets, one per rule and column, with the reason. Empty when the analysis is exact (or partial only because the
    /// search hit its budget).
    /// </summary>
    public EquatableArray<PartialCell> PartialCells { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>Gap boxes found in all; findings list at most <see cref="TableAnalysisOptions.MaxReportedGaps"/> of them.</summary>
    public long GapCount { get; init; }

    /// <summary>Offending rule pairs found in all; findings list at most <see cref="TableAnalysisOptions.MaxReportedOverlaps"/>.</summary>
    public long OverlapCount { get; init; }

    /// <summary>Steps the coverage search took, a measure of how hard the table was.</summary>
    public long SearchSteps { get; init; }

    public IEnumerable<TableFinding> OfKind(FindingKind kind) => Findings.Where(f => f.Kind == kind);

    public bool HasErrors => Findings.Any(f => f.Severity == FindingSeverity.Error);
}

public sealed record TableAnalysisOptions
{
    public static TableAnalysisOptions Default { get; } = new();

    /// <summary>Gap findings listed before a single "and N more" finding.</summary>
    public int MaxReportedGaps { get; init; } = 50;

    /// <summary>Overlap findings listed before a single "and N more" finding.</summary>
    public int MaxReportedOverlaps { get; init; } = 50;

    /// <summary>
    /// When false (the default) inputs are assumed present: null is part of a column's domain only if the column's
    /// entries or allowed values mention <c>null</c>. When true every column may be null, so a table without <c>-</c> or
    /// <c>null</c> tests has a gap at null for each column.
    /// </summary>
    public bool IncludeNullInputs { get; init; }

    /// <summary>Names besides the table's own inputs that cells may refer to (the model's input data and decisions).</summary>
    public IReadOnlyCollection<string> KnownNames { get; init; } = [];

    /// <summary>
    /// The model the table belongs to, when known: the types of input data, decisions and item definitions then settle
    /// the value domain of path columns (<c>Lead.employees</c>) and tell which inputs are lists. Its input data and
    /// decision names are known names too.
    /// </summary>
    public DmnModel? Model { get; init; }

    /// <summary>Search steps before the analysis stops and reports itself partial; guards against pathological tables.</summary>
    public long MaxSearchSteps { get; init; } = 2_000_000;
}
