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

    /// <summary>The model's types (DMN <c>itemDefinition</c>s): records with components, collections, constrained simple types.</summary>
    public EquatableArray<ItemDefinition> ItemDefinitions { get; init; }

    /// <summary>Business knowledge models: reusable functions (a decision table or literal expression with parameters).</summary>
    public EquatableArray<BusinessKnowledgeModel> KnowledgeModels { get; init; }

    /// <summary>
    /// The decision evaluated when a caller or an agent names none. Null means the model's top decision: the one no
    /// other decision requires (the last such one when there are several).
    /// </summary>
    public string? MainDecision { get; init; }

    public ItemDefinition? FindItemDefinition(string name)
    {
        foreach (var item in ItemDefinitions)
        {
            if (string.Equals(item.Name, name, StringComparison.Ordinal))
            {
                return item;
            }
        }

        return null;
    }

    public BusinessKnowledgeModel? FindKnowledgeModel(string name)
    {
        foreach (var knowledge in KnowledgeModels)
        {
            if (string.Equals(knowledge.Name, name, StringComparison.Ordinal))
            {
                return knowledge;
            }
        }

        return null;
    }

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

    /// <summary>
    /// The item definition of the decision's result when it is a structured or collection type (e.g. <c>tLoan</c>);
    /// simple types stay in the decision's typeRef.
    /// </summary>
    public string? TypeName { get; init; }
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

    /// <summary>The item definition when the input is a structured or collection type, e.g. <c>tApplicant</c>.</summary>
    public string? TypeName { get; init; }
}

/// <summary>
/// A DMN item definition: a simple type with optional allowed values (<c>tAge</c> = number in [0..150]), a record with
/// <see cref="Components"/> (<c>tLoan</c> = principal, rate, termMonths), or either as a collection.
/// </summary>
public sealed record ItemDefinition
{
    public string Id { get; init; } = "";

    public required string Name { get; init; }

    /// <summary>
    /// The base type: a FEEL type name (<c>number</c>, <c>string</c>, ...) or another item definition's name. Null for a
    /// record, whose shape is its <see cref="Components"/>.
    /// </summary>
    public string? TypeRef { get; init; }

    /// <summary>True when values of this type are lists of the type described by the rest of the definition.</summary>
    public bool IsCollection { get; init; }

    /// <summary>Allowed values as unary tests text, e.g. <c>"High","Low"</c> or <c>[0..150]</c>.</summary>
    public string? AllowedValues { get; init; }

    /// <summary>The components of a record, each itself an item definition (nested records allowed).</summary>
    public EquatableArray<ItemDefinition> Components { get; init; }
}

/// <summary>
/// A business knowledge model: a named function with parameters whose body is a decision table or a literal expression
/// (the body's own name is the BKM's name). Decisions invoke it as <c>Name(a, b)</c> or <c>Name(p: a, q: b)</c>.
/// </summary>
public sealed record BusinessKnowledgeModel
{
    public string Id { get; init; } = "";

    public required string Name { get; init; }

    public string? Description { get; init; }

    public EquatableArray<KnowledgeParameter> Parameters { get; init; }

    /// <summary>The function body: a <see cref="DecisionTableDefinition"/> or a <see cref="LiteralExpressionDecision"/>.</summary>
    public required DmnDecision Body { get; init; }

    /// <summary>The result's simple type, when declared.</summary>
    public FeelType? TypeRef { get; init; }

    /// <summary>The result's item definition, when it is structured or a collection.</summary>
    public string? TypeName { get; init; }
}

/// <summary>A parameter of a business knowledge model.</summary>
public sealed record KnowledgeParameter
{
    public string Id { get; init; } = "";

    public required string Name { get; init; }

    public FeelType? TypeRef { get; init; }

    /// <summary>The parameter's item definition, when it is structured or a collection.</summary>
    public string? TypeName { get; init; }
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
