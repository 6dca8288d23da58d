using AgentConsole.Engine.DecisionTables;

namespace AgentConsole.Tests.DecisionTables.Analysis;

/// <summary>Builds decision tables for analysis tests in a compact, readable form.</summary>
internal sealed class TableBuilder(HitPolicy policy = HitPolicy.Unique)
{
    private readonly List<DecisionInput> _inputs = [];
    private readonly List<DecisionOutput> _outputs = [];
    private readonly List<DecisionRule> _rules = [];
    private string? _default;

    public TableBuilder Input(string name, FeelType? type = null, string? allowed = null)
    {
        _inputs.Add(new DecisionInput { Id = $"in{_inputs.Count + 1}", Expression = name, TypeRef = type, AllowedValues = allowed });
        return this;
    }

    public TableBuilder Output(string name, FeelType? type = FeelType.String, params string[] values)
    {
        _outputs.Add(new DecisionOutput { Id = $"out{_outputs.Count + 1}", Name = name, TypeRef = type, OutputValues = [.. values] });
        return this;
    }

    public TableBuilder Default(string text)
    {
        _default = text;
        return this;
    }

    /// <summary>A rule: one text per input, then one per output.</summary>
    public TableBuilder Rule(params string[] cells)
    {
        var inputs = Math.Min(_inputs.Count, cells.Length);
        _rules.Add(new DecisionRule
        {
            Id = $"r{_rules.Count + 1}",
            InputEntries = [.. cells.Take(inputs)],
            OutputEntries = [.. cells.Skip(inputs)],
        });
        return this;
    }

    public DecisionTableDefinition Build()
    {
        var outputs = _outputs.Count > 0 ? _outputs : [new DecisionOutput { Id = "out1", Name = "result", TypeRef = FeelType.String }];
        if (_default is not null)
        {
            outputs[0] = outputs[0] with { DefaultOutputEntry = _default };
        }

        return new DecisionTableDefinition
        {
            Id = "decision",
            Name = "Decision",
            HitPolicy = policy,
            Inputs = [.. _inputs],
            Outputs = [.. outputs],
            Rules = [.. _rules],
        };
    }
}
