namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// A FEEL context: named entries in order, looked up by name. Built once and never changed, so a value that holds it
/// can be shared between evaluations and threads.
/// </summary>
internal sealed class FeelContext
{
    private readonly string[] _keys;
    private readonly FeelValue[] _values;
    private Dictionary<string, int>? _index;

    public FeelContext(string[] keys, FeelValue[] values)
    {
        _keys = keys;
        _values = values;
    }

    public static FeelContext Empty { get; } = new([], []);

    public int Count => _keys.Length;

    public IReadOnlyList<string> Keys => _keys;

    public IReadOnlyList<FeelValue> Values => _values;

    public bool TryGet(string key, out FeelValue value)
    {
        if (_keys.Length <= 8)
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                if (string.Equals(_keys[i], key, StringComparison.Ordinal))
                {
                    value = _values[i];
                    return true;
                }
            }

            value = FeelValue.Null;
            return false;
        }

        _index ??= _keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        if (_index.TryGetValue(key, out var at))
        {
            value = _values[at];
            return true;
        }

        value = FeelValue.Null;
        return false;
    }

    /// <summary>A copy with <paramref name="key"/> set (replaced in place when present, appended when not).</summary>
    public FeelContext With(string key, FeelValue value)
    {
        var at = Array.IndexOf(_keys, key);
        if (at >= 0)
        {
            var values = (FeelValue[])_values.Clone();
            values[at] = value;
            return new FeelContext(_keys, values);
        }

        return new FeelContext([.. _keys, key], [.. _values, value]);
    }

    public static FeelContext FromClr(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        var list = entries.ToList();
        return new FeelContext([.. list.Select(e => e.Key)], [.. list.Select(e => FeelValue.FromClr(e.Value))]);
    }

    public Dictionary<string, object?> ToClr()
    {
        var result = new Dictionary<string, object?>(_keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < _keys.Length; i++)
        {
            result[_keys[i]] = _values[i].ToClr();
        }

        return result;
    }

    public override string ToString() =>
        "{" + string.Join(", ", _keys.Select((k, i) => $"{k}: {_values[i]}")) + "}";
}
