namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// What a compiled expression can refer to: the scope's variables (by slot), local names declared inside the text
/// (for/some/every variables, context entries, a filter's item) held in slots reserved at compile time, the value under
/// test (<c>?</c>) and the model's business knowledge models.
/// </summary>
internal sealed class FeelEnv
{
    private readonly Func<string, int> _slotOf;
    private readonly Func<int>? _reserve;
    private readonly List<(string Name, int Slot)> _locals = [];
    private readonly List<int> _items = [];

    public FeelEnv(Func<string, int> slotOf, Func<int>? reserve = null, IReadOnlyDictionary<string, KnowledgeFunction>? functions = null)
    {
        _slotOf = slotOf;
        _reserve = reserve;
        Functions = functions;
    }

    public static FeelEnv For(SlotScope scope) => new(scope.SlotOf, scope.Reserve, scope.Functions) { Scope = scope };

    public SlotScope? Scope { get; private init; }

    public IReadOnlyDictionary<string, KnowledgeFunction>? Functions { get; }

    /// <summary>The slot that holds the value under test while a test written with <c>?</c> runs; -1 outside such a test.</summary>
    public int InputSlot { get; set; } = -1;

    /// <summary>The slot of the innermost filter's item; -1 outside filters.</summary>
    public int ItemSlot => _items.Count > 0 ? _items[^1] : -1;

    public int Reserve() => _reserve?.Invoke()
        ?? throw new FeelCompileException("Local names (for, some, every, filters, contexts) need a decision's scope here.", default);

    public int Declare(string name)
    {
        var slot = Reserve();
        _locals.Add((name, slot));
        return slot;
    }

    public int Mark() => _locals.Count;

    public void Release(int mark) => _locals.RemoveRange(mark, _locals.Count - mark);

    public void EnterFilter(int itemSlot) => _items.Add(itemSlot);

    public void LeaveFilter() => _items.RemoveAt(_items.Count - 1);

    public bool InFilter => _items.Count > 0;

    public bool TryLocal(string name, out int slot)
    {
        for (var i = _locals.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_locals[i].Name, name, StringComparison.Ordinal))
            {
                slot = _locals[i].Slot;
                return true;
            }
        }

        slot = -1;
        return false;
    }

    /// <summary>The slot of a variable of the scope, or -1 when the scope has no such name.</summary>
    public int TryGlobal(string name)
    {
        if (Scope is not null)
        {
            return Scope.TryGet(name, out var slot) ? slot : -1;
        }

        return _slotOf(name);
    }
}

/// <summary>A name or call the compiler cannot resolve: an unknown function, a wrong number of arguments.</summary>
internal sealed class FeelCompileException(string message, TextSpan span) : Exception(message)
{
    public TextSpan Span { get; } = span;
}
