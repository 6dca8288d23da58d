using System.Globalization;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Audit;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.Extensions.Primitives;
using Microsoft.JSInterop;
using MudBlazor;

namespace AgentConsole.Components.Pages.Audit;

/// <summary>
/// Search the audit log. The whole search lives in the URL (so a link shares it); results stream in
/// with keyset paging as the virtualised list scrolls.
/// </summary>
public sealed partial class AuditPage
{
    private const int PageSize = 100;
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AuditFilter _filter = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly List<AuditEventView> _loaded = [];
    private IReadOnlyList<Agent> _agents = [];
    private Virtualize<AuditEventView>? _virtualize;
    private AuditQuery? _query;
    private string? _querySignature;
    private long? _cursor;
    private bool _hasMore;
    private long? _count;
    private string? _error;
    private AuditEventView? _selected;
    private bool _drawerOpen;
    private AuditVerification? _verification;
    private bool _verifying;
    private string? _verifyRefused;
    private bool _exporting;
    private long _exportedLines;
    private long _exportTotal;
    private string? _exportMessage;
    private IJSObjectReference? _module;
    private DotNetObjectReference<AuditPage>? _self;

    [SupplyParameterFromQuery(Name = "q")] private string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "from")] private string? From { get; set; }
    [SupplyParameterFromQuery(Name = "to")] private string? To { get; set; }
    [SupplyParameterFromQuery(Name = "agent")] private string? AgentParam { get; set; }
    [SupplyParameterFromQuery(Name = "run")] private string? Run { get; set; }
    [SupplyParameterFromQuery(Name = "actor")] private string? Actor { get; set; }
    [SupplyParameterFromQuery(Name = "category")] private string? Category { get; set; }
    [SupplyParameterFromQuery(Name = "seq")] private long? Seq { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private AuditSearch Search { get; set; } = default!;
    [Inject] private AuditChain Chain { get; set; } = default!;
    [Inject] private RequestThrottle Throttle { get; set; } = default!;
    [Inject] private AgentCatalog Agents { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<AuditPage> Logger { get; set; } = default!;

    private bool HasFilters => _query is { } q
        && (q.Text is not null || q.Agent is not null || q.Run is not null || q.Actor is not null || q.From is not null || q.To is not null || q.Categories.Count > 0);

    private string CountText => _count switch
    {
        null => "Counting…",
        1 => "1 event",
        var n => $"{n.Value:N0} events",
    };

    private int ExportPercent => _exportTotal == 0 ? 0 : (int)Math.Min(100, _exportedLines * 100 / _exportTotal);

    protected override async Task OnInitializedAsync() => _agents = await Agents.ListAsync();

    protected override async Task OnParametersSetAsync()
    {
        var values = new Dictionary<string, StringValues>
        {
            ["q"] = Q, ["from"] = From, ["to"] = To, ["agent"] = AgentParam, ["run"] = Run, ["actor"] = Actor, ["category"] = Category,
        };
        var signature = string.Join("|", values.Select(v => $"{v.Key}={v.Value}"));
        if (signature != _querySignature)
        {
            _querySignature = signature;
            var parsed = AuditQueryParser.Parse(name => values.GetValueOrDefault(name), PageSize, Search.MaxPageSize);
            _filter.LoadFrom(parsed.Query, values);
            _error = parsed.Query is null ? string.Join(" ", parsed.Errors.SelectMany(e => e.Value)) : null;
            await ResetAsync(parsed.Query);
        }

        if (Seq is { } seq && _selected?.Sequence != seq)
        {
            _selected = await Search.FindAsync(seq);
            _drawerOpen = _selected is not null;
        }
        else if (Seq is null && _drawerOpen)
        {
            _drawerOpen = false;
        }
    }

    private async Task ResetAsync(AuditQuery? query)
    {
        _query = query;
        _loaded.Clear();
        _cursor = null;
        _hasMore = query is not null;
        _count = null;
        if (_virtualize is not null)
        {
            await _virtualize.RefreshDataAsync();
        }

        if (query is not null)
        {
            _ = CountInBackgroundAsync(query);
        }
    }

    private async Task CountInBackgroundAsync(AuditQuery query)
    {
        try
        {
            var count = await Search.CountAsync(query);
            if (ReferenceEquals(query, _query))
            {
                _count = count;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (AuditQueryException ex)
        {
            _error = ex.Message;
            await InvokeAsync(StateHasChanged);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AuditPageLog.CountFailed(Logger, ex);
        }
    }

    private async ValueTask<ItemsProviderResult<AuditEventView>> LoadAsync(ItemsProviderRequest request)
    {
        var query = _query;
        if (query is null)
        {
            return new([], 0);
        }

        await _loading.WaitAsync(request.CancellationToken);
        try
        {
            while (_hasMore && _loaded.Count < request.StartIndex + request.Count && ReferenceEquals(query, _query))
            {
                var page = await Search.SearchAsync(query with { Before = _cursor, Limit = PageSize }, request.CancellationToken);
                _loaded.AddRange(page.Events);
                _cursor = page.NextCursor;
                _hasMore = page.NextCursor is not null;
            }
        }
        catch (AuditQueryException ex)
        {
            _error = ex.Message;
            _hasMore = false;
            await InvokeAsync(StateHasChanged);
        }
        finally
        {
            _loading.Release();
        }

        var items = _loaded.Skip(request.StartIndex).Take(request.Count).ToList();
        // While more pages exist, claim one more page so the scrollbar lets the user reach it.
        return new(items, _hasMore ? _loaded.Count + PageSize : _loaded.Count);
    }

    private void SearchAsync() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(_filter.ToQueryParameters()));

    private void ClearAsync()
    {
        _filter.Clear();
        SearchAsync();
    }

    private async Task OnSearchKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            // Let the bound value update first.
            await Task.Yield();
            SearchAsync();
        }
    }

    private Task OpenAsync(AuditEventView e)
    {
        _selected = e;
        _drawerOpen = true;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("seq", e.Sequence), replace: true);
        return Task.CompletedTask;
    }

    private Task OnRowKey(KeyboardEventArgs k, AuditEventView e) => k.Key is "Enter" or " " ? OpenAsync(e) : Task.CompletedTask;

    private Task CloseAsync()
    {
        _drawerOpen = false;
        _selected = null;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("seq", (long?)null), replace: true);
        return Task.CompletedTask;
    }

    private string FilterLink(string name, string value) =>
        Navigation.GetUriWithQueryParameters("/audit", new Dictionary<string, object?> { [name] = value });

    private async Task VerifyAsync()
    {
        _verifying = true;
        try
        {
            var user = (await AuthState).User;
            // The same budget as POST /api/v1/audit/verify: a walk over every event is too heavy to repeat at will.
            var throttled = Throttle.AcquireAuditVerification(RequestThrottle.CallerKey(user));
            _verifyRefused = throttled.Allowed ? null
                : $"Verified too often; try again in {RequestThrottle.RetryAfterHeader(throttled.RetryAfter)} seconds.";
            _verification = throttled.Allowed ? await Chain.VerifyAsync(Engine.Audit.AuditActor.Parse(user.ActorName())) : null;
        }
        finally
        {
            _verifying = false;
        }
    }

    private async Task ExportAsync(AuditExportFormat format)
    {
        _exporting = true;
        _exportMessage = null;
        _exportedLines = 0;
        _exportTotal = _count ?? 0;
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/audit.js");
            _self ??= DotNetObjectReference.Create(this);
            var parameters = _filter.ToQueryParameters();
            parameters["format"] = format == AuditExportFormat.Csv ? "csv" : "jsonl";
            parameters.Remove("seq");
            var url = Navigation.GetUriWithQueryParameters("/api/v1/audit/export", parameters);
            var fileName = $"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{parameters["format"]}";
            var result = await _module.InvokeAsync<ExportResult>("downloadWithProgress", url, fileName, _self);
            _exportMessage = result.Ok
                ? $"Exported {Math.Max(0, result.Lines - (format == AuditExportFormat.Csv ? 1 : 0)):N0} events to {fileName}."
                : $"Export failed: {result.Error}";
        }
        catch (JSException ex)
        {
            _exportMessage = $"Export failed in the browser: {ex.Message}";
        }
        finally
        {
            _exporting = false;
        }
    }

    [JSInvokable]
    public Task OnExportProgress(long lines, long total)
    {
        _exportedLines = lines;
        _exportTotal = total;
        return InvokeAsync(StateHasChanged);
    }

    private static Color CategoryColor(AuditCategory category) => category switch
    {
        AuditCategory.Security => Color.Error,
        AuditCategory.Escalation => Color.Warning,
        AuditCategory.Human => Color.Info,
        AuditCategory.Configuration => Color.Primary,
        _ => Color.Default,
    };

    private static string PrettyJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, Pretty);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _self?.Dispose();
        _loading.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; nothing to release in the browser.
            }
        }
    }

    private sealed record ExportResult(bool Ok, string? Error, long Lines);

    /// <summary>The filter form's state; converts to and from the URL's query parameters.</summary>
    private sealed class AuditFilter
    {
        public string? Text { get; set; }
        public DateTime? From { get; set; }
        public DateTime? To { get; set; }
        public string? Agent { get; set; }
        public string? Run { get; set; }
        public string? Actor { get; set; }
        public IReadOnlyCollection<AuditCategory> Categories { get; set; } = [];

        public void LoadFrom(AuditQuery? query, Dictionary<string, StringValues> raw)
        {
            Text = raw["q"];
            Agent = raw["agent"];
            Run = raw["run"];
            Actor = raw["actor"];
            From = query?.From?.UtcDateTime.Date;
            To = query?.To?.UtcDateTime.Date;
            Categories = [.. query?.Categories ?? []];
        }

        public void Clear()
        {
            Text = Agent = Run = Actor = null;
            From = To = null;
            Categories = [];
        }

        public Dictionary<string, object?> ToQueryParameters() => new()
        {
            ["q"] = Blank(Text),
            ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            // A date picked as "to" means through the end of that day.
            ["to"] = To is { } to ? to.Date.AddDays(1).AddTicks(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) : null,
            ["agent"] = Blank(Agent),
            ["run"] = Blank(Run),
            ["actor"] = Blank(Actor),
            ["category"] = Categories.Count > 0 ? string.Join(",", Categories) : null,
            ["seq"] = null,
        };

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}

internal static partial class AuditPageLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting audit events failed")]
    public static partial void CountFailed(ILogger logger, Exception exception);
}
