namespace AgentConsole.Engine.DecisionTables;

/// <summary>
/// The variable names an S-FEEL text may refer to. DMN names may contain spaces and other symbols
/// (<c>Risk Category</c>, <c>Approved/Declined</c>), so the lexer matches known names greedily, longest first,
/// before it splits text into words.
/// </summary>
public sealed class FeelNames
{
    private readonly HashSet<string> _set;
    private readonly string[] _longestFirst;

    public FeelNames(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _set = new HashSet<string>(names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()), StringComparer.Ordinal);
        _longestFirst = [.. _set.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal)];
    }

    private FeelNames()
    {
        _set = [];
        _longestFirst = [];
        IsStrict = false;
    }

    /// <summary>
    /// No known names: consecutive words form one name (<c>Risk Category</c>) and nothing is reported as unknown.
    /// For parsing a cell before the table's inputs are known.
    /// </summary>
    public static FeelNames Lenient { get; } = new();

    /// <summary>When true, the parser reports a name that is not in the list as an error at its position.</summary>
    public bool IsStrict { get; } = true;

    public IReadOnlyList<string> Names => _longestFirst;

    public bool Contains(string name) => _set.Contains(name);

    internal string? MatchAt(string text, int position)
    {
        foreach (var name in _longestFirst)
        {
            if (name.Length <= text.Length - position
                && string.CompareOrdinal(text, position, name, 0, name.Length) == 0
                && (position + name.Length == text.Length || !FeelLexer.IsNamePart(text[position + name.Length])
                    || !FeelLexer.IsNamePart(name[^1])))
            {
                return name;
            }
        }

        return null;
    }

    internal string? Suggest(string unknown)
    {
        foreach (var name in _longestFirst)
        {
            if (string.Equals(name, unknown, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name.Replace(" ", "", StringComparison.Ordinal), unknown.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        foreach (var name in _longestFirst)
        {
            if (name.StartsWith(unknown, StringComparison.OrdinalIgnoreCase) || unknown.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// The names a stand-alone table's cells may use, exactly as <see cref="CompiledDecisionTable.Compile(DecisionTableDefinition)"/>
    /// resolves them: input expressions that are plain names, plus names used inside computed input expressions.
    /// </summary>
    public static FeelNames ForTable(DecisionTableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var names = new List<string>();
        foreach (var input in table.Inputs)
        {
            if (IsPlainName(input.Expression))
            {
                names.Add(input.Expression.Trim());
            }
        }

        foreach (var input in table.Inputs)
        {
            if (!IsPlainName(input.Expression) && FeelParser.ParseExpression(input.Expression, Lenient).Value is { } parsed)
            {
                FeelCompiler.CollectNames(parsed, names);
            }
        }

        return new FeelNames(names);
    }

    /// <summary>The names a decision of a model may use: its input data and the other decisions.</summary>
    public static FeelNames ForModel(DmnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new FeelNames(model.InputData.Select(i => i.Name).Concat(model.Decisions.Select(d => d.Name)));
    }

    /// <summary>
    /// True when an input expression is just a name (words, digits, underscores, spaces and the symbols DMN allows
    /// in names), so a stand-alone table can treat it as the variable that callers supply.
    /// </summary>
    public static bool IsPlainName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (!FeelLexer.IsNameStart(trimmed[0]))
        {
            return false;
        }

        foreach (var word in trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (FeelLexer.IsReservedWord(word))
            {
                return false;
            }
        }

        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            var joinsWords = c is '.' or '/' or '-' or '\''
                && i > 0 && i < trimmed.Length - 1 && FeelLexer.IsNamePart(trimmed[i - 1]) && FeelLexer.IsNamePart(trimmed[i + 1]);
            if (!FeelLexer.IsNamePart(c) && c != ' ' && !joinsWords)
            {
                return false;
            }
        }

        return true;
    }
}
