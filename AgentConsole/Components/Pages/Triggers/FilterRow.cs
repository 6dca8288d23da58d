namespace AgentConsole.Components.Pages.Triggers;

/// <summary>One condition row of the builder: a payload path, an operator and its value(s).</summary>
public sealed class FilterRow
{
    public string Path { get; set; } = "";
    public FilterOperator Operator { get; set; } = FilterOperator.Is;

    /// <summary>The value; for "is one of" a comma-separated list, for "raw" the S-FEEL test itself.</summary>
    public string Value { get; set; } = "";

    /// <summary>The upper bound of "between".</summary>
    public string Value2 { get; set; } = "";
}
