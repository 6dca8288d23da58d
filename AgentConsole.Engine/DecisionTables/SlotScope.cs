namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// Maps variable names to indexes of the evaluation's value array at compile time, so evaluation never looks
/// names up per cell. Slots after the variables hold computed input columns.
/// </summary>
internal sealed class SlotScope
{
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<(string Name, FeelType? Type)> _variables = [];
    private FeelNames? _names;
    private int _reserved;

    public FeelNames Names => _names ??= new FeelNames(_slots.Keys);

    public int VariableCount => _variables.Count;

    /// <summary>The model's business knowledge models, callable by name from this scope's expressions.</summary>
    public IReadOnlyDictionary<string, KnowledgeFunction>? Functions { get; set; }

    public int SlotCount => _variables.Count + _reserved;

    public IReadOnlyList<(string Name, FeelType? Type)> Variables => _variables;

    public int Add(string name, FeelType? type)
    {
        if (_reserved > 0)
        {
            throw new InvalidOperationException("Variables must be added before computed slots are reserved.");
        }

        if (_slots.TryGetValue(name, out var existing))
        {
            return existing;
        }

        _slots[name] = _variables.Count;
        _variables.Add((name, type));
        _names = null;
        return _variables.Count - 1;
    }

    public bool TryGet(string name, out int slot) => _slots.TryGetValue(name, out slot);

    public int SlotOf(string name) =>
        _slots.TryGetValue(name, out var slot) ? slot : throw new InvalidOperationException($"Name '{name}' was not declared.");

    public FeelType? TypeOf(int slot) => slot < _variables.Count ? _variables[slot].Type : null;

    public int Reserve() => _variables.Count + _reserved++;
}
