using System.Globalization;
using AgentConsole.Components.Pages.Runs;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Alerts;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace AgentConsole.Components.Pages.Dashboard;

/// <summary>
/// The managers' view: figures of the chosen period and agent from <see cref="RunMetrics"/> (hourly rollups, so a load
/// costs the same at a million runs), reloaded over the circuit shortly after any run changes state.
/// </summary>
public sealed partial class MonitoringDashboard : IDisposable
{
    private const string AllAgents = "";

    private readonly StackedBarChartOptions _stackedOptions = new() { YAxisTitle = "Runs", ChartPalette = ["#2e7d32", "#c62828", "#6a1b9a", "#757575", "#1565c0"] };
    private readonly BarChartOptions _costOptions = new() { YAxisTitle = "USD", ChartPalette = ["#ef6c00"] };
    private readonly LineChartOptions _escalationOptions = new() { YAxisTitle = "%", ChartPalette = ["#1565c0", "#2e7d32", "#2e7d32", "#c62828"] };
    private readonly LineChartOptions _durationOptions = new() { YAxisTitle = "s", ChartPalette = ["#1565c0", "#6a1b9a"] };
    private readonly Lock _refreshGate = new();

    private DashboardPeriod _period = DashboardPeriod.Week;
    private string _agent = AllAgents;
    private DashboardData? _data;
    private bool _anyRuns;
    private int _openEscalations;
    private string? _error;
    private bool _refreshPending;
    private bool _disposed;
    private IReadOnlyList<Alert>? _alerts;
    private IReadOnlyDictionary<string, string> _agentNames = new Dictionary<string, string>();
    private string[] _labels = [];
    private string _costUnit = "USD";
    private string _durationUnit = "seconds";
    private List<ChartSeries<double>> _runSeries = [];
    private List<ChartSeries<double>> _costSeries = [];
    private List<ChartSeries<double>> _escalationSeries = [];
    private List<ChartSeries<double>> _durationSeries = [];

    [Inject] private RunMetrics Metrics { get; set; } = default!;
    [Inject] private RunStatistics Statistics { get; set; } = default!;
    [Inject] private AgentCatalog Catalog { get; set; } = default!;
    [Inject] private RunNotifications Notifications { get; set; } = default!;
    [Inject] private AlertBoard Alerts { get; set; } = default!;
    [Inject] private AlertFeed AlertFeed { get; set; } = default!;
    [Inject] private IOptions<MonitoringOptions> Options { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private ILogger<MonitoringDashboard> Logger { get; set; } = default!;

    private string PointName => _period == DashboardPeriod.Today ? "hour" : "day";

    private string PeriodLabel => _period switch
    {
        DashboardPeriod.Today => "today",
        DashboardPeriod.Month => "30 days",
        _ => "7 days",
    };

    private string LiveStatus => _data is null ? "Loading…" : $"Live · updated {_data.LoadedAt.ToOffset(TimeSpan.Zero):HH:mm:ss} UTC";

    protected override async Task OnInitializedAsync()
    {
        Notifications.Updated += OnRunUpdated;
        AlertFeed.Changed += OnAlertChanged;
        await LoadAsync();
    }

    private async Task PeriodChangedAsync(DashboardPeriod period)
    {
        _period = period;
        await LoadAsync();
    }

    private async Task AgentChangedAsync(string? agent)
    {
        _agent = agent ?? AllAgents;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            var agents = await Catalog.ListAsync();
            _agentNames = agents.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(a => a.Key, a => a.Name);
            _anyRuns = await Statistics.AnyRunsAsync();
            _openEscalations = await Statistics.OpenEscalationsAsync();
            var window = MetricsWindow.For(_period, Clock.GetUtcNow(), Metrics.Zone);
            _data = await Metrics.DashboardAsync(window, _agent == AllAgents ? null : _agent);
            _alerts = await Alerts.ActiveAsync(_agent == AllAgents ? null : _agent);
            BuildCharts();
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failing query must not end the circuit: say so on the page and keep what was shown.
            LogLoadFailed(Logger, ex);
            _error = "The figures could not be loaded just now; they refresh when the next run ends. " + ex.Message;
        }
    }

    /// <summary>Today is charted by hour, longer periods by day.</summary>
    private IReadOnlyList<SeriesPoint> Points => _data is null ? [] : _period == DashboardPeriod.Today && _data.Hours.Count > 0 ? _data.Hours : _data.Days;

    private string PointLabel(SeriesPoint point) => _period == DashboardPeriod.Today
        ? TimeZoneInfo.ConvertTime(point.Start, Metrics.Zone).ToString("HH:00", CultureInfo.InvariantCulture)
        : point.Day.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    private void BuildCharts()
    {
        var points = Points;
        _labels = [.. points.Select((p, i) => _period == DashboardPeriod.Today
            ? (i % 3 == 0 ? TimeZoneInfo.ConvertTime(p.Start, Metrics.Zone).ToString("HH:00", CultureInfo.InvariantCulture) : "")
            : points.Count > 10
                ? (i % 5 == (points.Count - 1) % 5 ? p.Day.ToString("d/M", CultureInfo.InvariantCulture) : "")
                : p.Day.ToString("ddd d", CultureInfo.InvariantCulture))];
        _runSeries =
        [
            new() { Name = "Succeeded", Data = points.Select(d => (double)d.Succeeded).ToArray() },
            new() { Name = "Failed", Data = points.Select(d => (double)d.Failed).ToArray() },
            new() { Name = "Handled by people", Data = points.Select(d => (double)d.HandledByHuman).ToArray() },
            new() { Name = "Cancelled", Data = points.Select(d => (double)d.Cancelled).ToArray() },
            new() { Name = "In progress or waiting", Data = points.Select(d => (double)d.Unfinished).ToArray() },
        ];
        _stackedOptions.YAxisTicks = ChartScale.Step(points.Select(p => (double)p.Runs).DefaultIfEmpty(0).Max());

        (var costFactor, _costUnit) = ChartScale.CostUnit(points.Select(p => (double)p.CostUsd).DefaultIfEmpty(0).Max());
        _costSeries = [new() { Name = $"Cost ({_costUnit})", Data = points.Select(d => (double)d.CostUsd * costFactor).ToArray() }];
        _costOptions.YAxisTitle = _costUnit;
        _costOptions.YAxisTicks = ChartScale.Step(_costSeries[0].Data.Values.DefaultIfEmpty(0).Max());

        _escalationSeries =
        [
            new() { Name = "Escalation rate", Data = points.Select(d => (d.EscalationRate ?? 0) * 100).ToArray() },
            new() { Name = "Healthy from 5 %", Data = points.Select(_ => EscalationBand.HealthyLow * 100).ToArray() },
            new() { Name = "Healthy up to 15 %", Data = points.Select(_ => EscalationBand.HealthyHigh * 100).ToArray() },
            new() { Name = "Redesign above 30 %", Data = points.Select(_ => EscalationBand.Redesign * 100).ToArray() },
        ];
        _escalationOptions.YAxisTicks = ChartScale.Step(Math.Max(40, points.Select(d => (d.EscalationRate ?? 0) * 100).DefaultIfEmpty(0).Max()));

        (var durationFactor, _durationUnit) = ChartScale.DurationUnit(points.Select(p => p.P95Milliseconds ?? 0).DefaultIfEmpty(0).Max());
        _durationSeries =
        [
            new() { Name = "p50", Data = points.Select(d => (d.P50Milliseconds ?? 0) * durationFactor).ToArray() },
            new() { Name = "p95", Data = points.Select(d => (d.P95Milliseconds ?? 0) * durationFactor).ToArray() },
        ];
        _durationOptions.YAxisTitle = _durationUnit;
        _durationOptions.YAxisTicks = ChartScale.Step(_durationSeries[1].Data.Values.DefaultIfEmpty(0).Max());
    }

    /// <summary>
    /// Runs end on executor threads: only schedule one reload, after a short delay so a burst of runs reloads once,
    /// and never more than one at a time.
    /// </summary>
    private void OnAlertChanged(AlertChanged change) => ScheduleRefresh();

    private void OnRunUpdated(RunUpdated update)
    {
        if (_agent != AllAgents && update.AgentKey != _agent)
        {
            return;
        }

        ScheduleRefresh();
    }

    private void ScheduleRefresh()
    {
        lock (_refreshGate)
        {
            if (_refreshPending || _disposed)
            {
                return;
            }

            _refreshPending = true;
        }

        _ = RefreshSoonAsync();
    }

    private async Task RefreshSoonAsync()
    {
        try
        {
            await Task.Delay(Options.Value.LiveRefreshDelay);
            lock (_refreshGate)
            {
                _refreshPending = false;
                if (_disposed)
                {
                    return;
                }
            }

            await InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the event and the reload.
        }
        catch (Exception ex)
        {
            LogLoadFailed(Logger, ex);
        }
    }

    private string? RunsLink(string? status)
    {
        var window = _period switch
        {
            DashboardPeriod.Today => "24h",
            DashboardPeriod.Month => "30d",
            _ => "7d",
        };
        var query = new List<string> { $"window={window}" };
        if (status is not null)
        {
            query.Add($"status={status}");
        }

        if (_agent != AllAgents)
        {
            query.Add($"agent={Uri.EscapeDataString(_agent)}");
        }

        return "/runs?" + string.Join('&', query);
    }

    internal static string Percent(double? rate) => rate is { } r ? r.ToString("0.#%", CultureInfo.InvariantCulture) : "—";

    internal static string Duration(double? milliseconds) => milliseconds is { } ms ? RunDisplay.Duration((long)Math.Round(ms)) : "—";

    internal static KpiTone ErrorTone(double? rate) => rate switch
    {
        null => KpiTone.Normal,
        > 0.10 => KpiTone.Bad,
        > 0.02 => KpiTone.Warning,
        _ => KpiTone.Good,
    };

    internal static KpiTone EscalationTone(EscalationHealth health) => health switch
    {
        EscalationHealth.Healthy => KpiTone.Good,
        EscalationHealth.Low or EscalationHealth.High => KpiTone.Warning,
        EscalationHealth.Redesign => KpiTone.Bad,
        _ => KpiTone.Normal,
    };

    private static Color HealthColor(EscalationHealth health) => EscalationTone(health) switch
    {
        KpiTone.Good => Color.Success,
        KpiTone.Warning => Color.Warning,
        KpiTone.Bad => Color.Error,
        _ => Color.Default,
    };

    public void Dispose()
    {
        lock (_refreshGate)
        {
            _disposed = true;
        }

        Notifications.Updated -= OnRunUpdated;
        AlertFeed.Changed -= OnAlertChanged;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the dashboard's figures failed")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);
}
