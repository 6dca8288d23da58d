using System.Text.Json.Serialization;

namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The decisions and input data of one DMN file. Cells stay as text, exactly what the editor edits;
/// <see cref="FeelParser"/> turns them into syntax trees and delegates.
/// </summary>
public sealed record DmnModel
{
    public string Id { get; init; } = "";

    public required string Name { get; init; }

    /// <summary>The definitions' namespace URI (not the DMN version namespace).</summary>
    public string Namespace { get; init; } = "";

    public EquatableArray<DmnDecision> Decisions { get; init; }

    public EquatableArray<InputData> InputData { get; init; }

    public DmnDecision? FindDecision(string name)
    {
        foreach (var decision in Decisions)
        {
            if (string.Equals(decision.Name, name, StringComparison.Ordinal))
            {
                return decision;
            }
        }

        return null;
    }
}

/// <summary>A named decision of a DMN model: a decision table or a literal expression.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DecisionTableDefinition), "decisionTable")]
[JsonDerivedType(typeof(LiteralExpressionDecision), "literalExpression")]
public abstract record DmnDecision
{
    public string Id { get; init; } = "";

    /// <summary>The decision's variable name; other decisions and callers refer to it by this name.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }
}

/// <summary>A DMN decision table (DMN 1.3 §8).</summary>
public sealed record DecisionTableDefinition : DmnDecision
{
    /// <summary>Id of the <c>decisionTable</c> element itself, distinct from the decision's id.</summary>
    public string TableId { get; init; } = "";

    public HitPolicy HitPolicy { get; init; } = HitPolicy.Unique;

    /// <summary>Only meaningful with <see cref="HitPolicy.Collect"/>.</summary>
    public CollectAggregator Aggregator { get; init; } = CollectAggregator.None;

    public EquatableArray<DecisionInput> Inputs { get; init; }

    public EquatableArray<DecisionOutput> Outputs { get; init; }

    public EquatableArray<DecisionRule> Rules { get; init; }

    /// <summary>Names of the annotation columns; each rule has one annotation text per column.</summary>
    public EquatableArray<string> AnnotationColumns { get; init; }
}

/// <summary>An input column: what is evaluated (<see cref="Expression"/>) and which values it may take.</summary>
public sealed record DecisionInput
{
    public string Id { get; init; } = "";

    /// <summary>Column heading; DMN tools fall back to the expression text when it is missing.</summary>
    public string? Label { get; init; }

    /// <summary>The input expression (S-FEEL), usually just the name of an input, e.g. <c>Applicant Age</c>.</summary>
    public required string Expression { get; init; }

    public string ExpressionId { get; init; } = "";

    public FeelType? TypeRef { get; init; }

    /// <summary>Allowed input values as unary tests text, e.g. <c>"High","Low","Medium"</c> or <c>[0..150]</c>.</summary>
    public string? AllowedValues { get; init; }

    [JsonIgnore]
    public string DisplayName => string.IsNullOrWhiteSpace(Label) ? Expression : Label;
}

/// <summary>An output column.</summary>
public sealed record DecisionOutput
{
    public string Id { get; init; } = "";

    /// <summary>Key of this output in a multi-output result; may be empty for a single-output table.</summary>
    public string? Name { get; init; }

    public string? Label { get; init; }

    public FeelType? TypeRef { get; init; }

    /// <summary>
    /// Allowed output values, each an S-FEEL literal such as <c>"Approved"</c>. Their order is the priority
    /// order for <see cref="HitPolicy.Priority"/> and <see cref="HitPolicy.OutputOrder"/> (first = highest).
    /// </summary>
    public EquatableArray<string> OutputValues { get; init; }

    /// <summary>S-FEEL expression used when no rule matches.</summary>
    public string? DefaultOutputEntry { get; init; }

    [JsonIgnore]
    public string DisplayName => !string.IsNullOrWhiteSpace(Name) ? Name : Label ?? "";
}

/// <summary>One rule (row): one unary-tests text per input, one expression text per output.</summary>
public sealed record DecisionRule
{
    public string Id { get; init; } = "";

    public EquatableArray<string> InputEntries { get; init; }

    public EquatableArray<string> OutputEntries { get; init; }

    /// <summary>One text per annotation column of the table.</summary>
    public EquatableArray<string> Annotations { get; init; }

    public string? Description { get; init; }
}

/// <summary>A decision whose logic is a single S-FEEL expression over input data and other decisions.</summary>
public sealed record LiteralExpressionDecision : DmnDecision
{
    public required string Expression { get; init; }

    public string ExpressionId { get; init; } = "";

    public FeelType? TypeRef { get; init; }
}

/// <summary>A value supplied by the caller when a decision is evaluated.</summary>
public sealed record InputData
{
    public string Id { get; init; } = "";

    public required string Name { get; init; }

    public FeelType? TypeRef { get; init; }

    /// <summary>Allowed values from the input's item definition, as unary tests text.</summary>
    public string? AllowedValues { get; init; }
}

public enum HitPolicy
{
    Unique,
    Any,
    First,
    Priority,
    Collect,
    RuleOrder,
    OutputOrder,
}

public enum CollectAggregator
{
    None,
    Sum,
    Min,
    Max,
    Count,
}

/// <summary>The FEEL types a typeRef can name. A null typeRef means "any": values keep their own type.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "These are FEEL's own type names.")]
public enum FeelType
{
    String,
    Number,
    Boolean,
    Date,
    DateTime,
    Time,
    /// <summary>Either kind of duration.</summary>
    Duration,
    DaysTimeDuration,
    YearsMonthsDuration,
}
