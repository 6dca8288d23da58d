namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The outcome of evaluating one decision.
/// <see cref="Value"/> follows DMN: a single output gives its value; several outputs give an
/// <see cref="IReadOnlyDictionary{TKey,TValue}"/> keyed by output name; COLLECT (no aggregator), RULE ORDER and
/// OUTPUT ORDER give an <see cref="IReadOnlyList{T}"/> of those; no match gives the default outputs, null, or an empty list.
/// Values are <see cref="decimal"/>, <see cref="string"/>, <see cref="bool"/>, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>,
/// <see cref="TimeOnly"/>, <see cref="TimeSpan"/>, <see cref="YearsMonthsDuration"/> or null.
/// </summary>
public sealed record DecisionResult
{
    public required string DecisionName { get; init; }

    public object? Value { get; init; }

    /// <summary>Ids of the rules whose outputs make up the result, in rule order (OUTPUT ORDER: in output order).</summary>
    public EquatableArray<string> MatchedRuleIds { get; init; }

    /// <summary>Zero-based indexes of the same rules, for highlighting rows.</summary>
    public EquatableArray<int> MatchedRuleIndexes { get; init; }

    /// <summary>True when no rule matched and the outputs' default entries were used.</summary>
    public bool UsedDefaultOutput { get; init; }

    /// <summary>Per rule, which input entries matched; only filled when a trace was requested.</summary>
    public EquatableArray<RuleTrace> Trace { get; init; }

    /// <summary>The value of each input column as the table saw it; only filled when a trace was requested.</summary>
    public EquatableArray<object?> InputValues { get; init; }

    /// <summary>
    /// The results of the decisions this one required, in the order they were evaluated (each once); only filled when a
    /// trace was requested from a <see cref="CompiledDmnModel"/>.
    /// </summary>
    public EquatableArray<DecisionResult> Intermediates { get; init; }

    public DecisionError? Error { get; init; }

    public bool IsSuccess => Error is null;

    internal static DecisionResult Failure(string decision, DecisionErrorKind kind, string message, EquatableArray<string> ruleIds = default, string? inputName = null) =>
        new() { DecisionName = decision, Error = new DecisionError(kind, message, ruleIds, inputName), MatchedRuleIds = ruleIds };
}

/// <summary>Which input entries of one rule matched. Entries that are <c>-</c> count as matched.</summary>
public sealed record RuleTrace(int RuleIndex, string RuleId, bool Matched, EquatableArray<bool> InputMatches);

/// <summary>Why an evaluation produced no value. Evaluation never picks silently when the table is inconsistent.</summary>
public sealed record DecisionError(DecisionErrorKind Kind, string Message, EquatableArray<string> RuleIds, string? InputName)
{
    /// <summary>For a structured input, the path of the part that does not fit (<c>Lead.address.country</c>); else the input's name.</summary>
    public string? InputPath { get; init; }

    public override string ToString() => Message;
}

public enum DecisionErrorKind
{
    /// <summary>An input had the wrong type or a value outside the column's allowed values.</summary>
    InvalidInput,

    /// <summary>UNIQUE matched several rules, or ANY matched rules with different outputs.</summary>
    HitPolicyViolation,

    /// <summary>An output could not be computed or aggregated, e.g. COLLECT SUM over text.</summary>
    InvalidOutput,

    /// <summary>The decision (or one it depends on) does not exist or failed.</summary>
    DecisionFailed,
}

public enum DiagnosticSeverity
{
    Error,
    Warning,
}

/// <summary>Where in a decision a diagnostic belongs, so an editor can mark the cell.</summary>
public enum DecisionPart
{
    Decision,
    InputExpression,
    InputValues,
    InputEntry,
    Output,
    OutputValues,
    OutputEntry,
    DefaultOutputEntry,
    Expression,
}

/// <summary>
/// A problem found while compiling a decision. <see cref="RuleIndex"/> and <see cref="ColumnIndex"/> are zero-based;
/// <see cref="Syntax"/> holds the position within the cell's text when the text did not parse.
/// </summary>
public sealed record DecisionDiagnostic(
    DiagnosticSeverity Severity,
    string Message,
    string? DecisionName,
    DecisionPart Part,
    int? RuleIndex = null,
    string? RuleId = null,
    int? ColumnIndex = null,
    FeelSyntaxError? Syntax = null)
{
    public override string ToString()
    {
        var where = new List<string>();
        if (DecisionName is not null)
        {
            where.Add($"decision '{DecisionName}'");
        }

        if (RuleIndex is { } rule)
        {
            where.Add(RuleId is { Length: > 0 } ? $"rule {rule + 1} ({RuleId})" : $"rule {rule + 1}");
        }

        if (ColumnIndex is { } column)
        {
            var kind = Part is DecisionPart.InputEntry or DecisionPart.InputExpression or DecisionPart.InputValues ? "input" : "output";
            where.Add($"{kind} {column + 1}");
        }

        var position = Syntax is null ? "" : $" (line {Syntax.Line}, column {Syntax.Column})";
        return $"{(where.Count > 0 ? string.Join(", ", where) + ": " : "")}{Message}{position}";
    }
}

/// <summary>A compiled decision or model plus everything the compiler noticed; <see cref="Value"/> is null when there are errors.</summary>
public sealed class DecisionCompilation<T>
    where T : class
{
    internal DecisionCompilation(T? value, IReadOnlyList<DecisionDiagnostic> diagnostics)
    {
        Diagnostics = diagnostics;
        Value = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : value;
    }

    public T? Value { get; }

    public IReadOnlyList<DecisionDiagnostic> Diagnostics { get; }

    public bool Success => Value is not null;

    public IEnumerable<DecisionDiagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public T GetValueOrThrow() => Value ?? throw new DecisionCompilationException(Diagnostics);
}

public sealed class DecisionCompilationException : Exception
{
    public DecisionCompilationException()
    {
        Diagnostics = [];
    }

    public DecisionCompilationException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    public DecisionCompilationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    public DecisionCompilationException(IReadOnlyList<DecisionDiagnostic> diagnostics)
        : base("The decision does not compile: " + string.Join("; ", diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<DecisionDiagnostic> Diagnostics { get; }
}
