namespace AgentConsole.Engine.Monitoring;

/// <summary>The tallies one metrics load fills: the total, one per agent and one per local day.</summary>
internal sealed class MetricsLoad(MetricsWindow window)
{
    private readonly Dictionary<string, MetricsTally> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<DateOnly, MetricsTally> _days = [];
    private readonly Dictionary<DateTimeOffset, MetricsTally> _hours = [];

    public MetricsTally Total { get; } = new();

    public IReadOnlyDictionary<string, string> Names { get; set; } = new Dictionary<string, string>();

    public IEnumerable<string> AgentKeys => _agents.Keys;

    public MetricsTally Agent(string key)
    {
        if (!_agents.TryGetValue(key, out var tally))
        {
            _agents.Add(key, tally = new MetricsTally());
        }

        return tally;
    }

    public MetricsTally Day(DateTimeOffset instant)
    {
        var day = window.DayOf(instant);
        if (!_days.TryGetValue(day, out var tally))
        {
            _days.Add(day, tally = new MetricsTally());
        }

        return tally;
    }

    public MetricsTally Hour(DateTimeOffset instant)
    {
        var hour = RunContribution.HourOf(instant);
        if (!_hours.TryGetValue(hour, out var tally))
        {
            _hours.Add(hour, tally = new MetricsTally());
        }

        return tally;
    }

    /// <summary>Adds to the total, the agent's, the day's and the hour's tally alike (durations are added separately, already summed).</summary>
    public void For(string agentKey, DateTimeOffset instant, Action<MetricsTally> add)
    {
        add(Total);
        add(Agent(agentKey));
        add(Day(instant));
        add(Hour(instant));
    }

    public DashboardData ToDashboard(MetricsWindow w, string? agentKey, DateTimeOffset now) => new(
        Total.ToSummary(w.From, w.To, agentKey),
        [.. w.Days().Select(d => (_days.TryGetValue(d, out var t) ? t : new MetricsTally()).ToPoint(MetricsWindow.StartOf(d, w.Zone), d))],
        [.. w.Hours().Select(h => (_hours.TryGetValue(h, out var t) ? t : new MetricsTally()).ToPoint(h, w.DayOf(h)))],
        [.. _agents.OrderBy(a => Names.GetValueOrDefault(a.Key, a.Key), StringComparer.OrdinalIgnoreCase)
            .Select(a => new AgentMetrics(a.Key, Names.GetValueOrDefault(a.Key, a.Key), a.Value.ToSummary(w.From, w.To, a.Key)))],
        now);
}
