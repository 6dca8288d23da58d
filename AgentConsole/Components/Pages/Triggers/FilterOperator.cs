namespace AgentConsole.Components.Pages.Triggers;

/// <summary>The operators the condition builder offers; each becomes an S-FEEL unary test (see <see cref="FilterTests"/>).</summary>
public enum FilterOperator
{
    Is,
    IsNot,
    IsOneOf,
    IsNotOneOf,
    GreaterThan,
    AtLeast,
    LessThan,
    AtMost,
    Between,
    IsEmpty,
    IsPresent,
    Raw,
}
