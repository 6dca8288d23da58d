using AgentConsole.Engine.Triggers;

namespace AgentConsole.Components.Pages.Triggers;

/// <summary>
/// What the condition builder edits: rows and sub-groups combined with AND or OR. It converts to and from the engine's
/// <see cref="TriggerFilter"/> one to one, so the engine's error keys (<c>filter.groups[0].conditions[1].test</c>)
/// point at rows on screen.
/// </summary>
public sealed class FilterGroupModel
{
    /// <summary>How deep groups nest in the builder (the top group and two levels below it).</summary>
    public const int MaxDepth = 3;

    public FilterMatch Match { get; set; } = FilterMatch.All;
    public List<FilterRow> Rows { get; } = [];
    public List<FilterGroupModel> Groups { get; } = [];

    public bool IsEmpty => Rows.Count == 0 && Groups.Count == 0;

    /// <summary>The engine's filter; null when there is nothing to filter on (every event matches).</summary>
    public TriggerFilter? ToFilter() => IsEmpty ? null : Build();

    private TriggerFilter Build() => new(
        Match,
        [.. Rows.Select(r => new TriggerCondition(r.Path.Trim(), FilterTests.Compose(r)))],
        Groups.Count == 0 ? null : [.. Groups.Select(g => g.Build())]);

    public static FilterGroupModel From(TriggerFilter? filter)
    {
        var model = new FilterGroupModel();
        if (filter is null)
        {
            return model;
        }

        model.Match = filter.Match;
        foreach (var condition in filter.Conditions ?? [])
        {
            model.Rows.Add(FilterTests.Parse(condition.Path, condition.Test));
        }

        foreach (var group in filter.SubGroups)
        {
            model.Groups.Add(From(group));
        }

        return model;
    }
}
