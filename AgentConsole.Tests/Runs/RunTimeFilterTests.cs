using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Runs;

/// <summary>
/// Time filters on runs mean instants, whatever offset the caller writes them in: runs created at known UTC times
/// are found by the same window written in UTC, +02:00, -05:00 and +05:45.
/// </summary>
public sealed class RunTimeFilterTests : IAsyncLifetime
{
    // Ticks below the 0.1 ms the old encoding kept, so a lossy round trip shows.
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
    private readonly string _folder = RunHost.NewFolder();
    private readonly FakeTimeProvider _time = new(Start);
    private RunHost _host = default!;

    /// <summary>Runs created at 09:00, 10:00, …, 13:00 UTC, in that order.</summary>
    private readonly List<Guid> _hourly = [];

    public async Task InitializeAsync()
    {
        _host = await RunHost.StartAsync(_folder, _time);
        for (var hour = 0; hour < 5; hour++)
        {
            _hourly.Add(await _host.StartRunAsync(DemoWorkspace.LeadRouterKey, FakeProviderRuns.MidMarketLead));
            _time.Advance(TimeSpan.FromHours(1));
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }

    public static TheoryData<int, int> Offsets() => new() { { 0, 0 }, { 2, 0 }, { -5, 0 }, { 5, 45 } };

    [Theory]
    [MemberData(nameof(Offsets))]
    public async Task ListAndCount_FindTheRunsInTheWindow_WhateverOffsetTheWindowIsWrittenIn(int hours, int minutes)
    {
        var offset = new TimeSpan(hours, Math.Sign(hours) * minutes, 0);
        // 10:00 (inclusive) to 12:00 (exclusive) UTC: the runs of 10:00 and 11:00.
        var query = new RunQuery(DemoWorkspace.LeadRouterKey, From: Start.AddHours(1).ToOffset(offset), To: Start.AddHours(3).ToOffset(offset));

        var page = await _host.Runs.ListAsync(query);

        Assert.Equal([_hourly[2], _hourly[1]], page.Items.Select(r => r.Id));
        Assert.Equal(2, await _host.Runs.CountAsync(query));
        Assert.All(page.Items, r => Assert.Equal(TimeSpan.Zero, r.CreatedAt.Offset));
    }

    [Theory]
    [MemberData(nameof(Offsets))]
    public async Task Summarize_CountsTheRunsSince_WhateverOffsetTheStartIsWrittenIn(int hours, int minutes)
    {
        var offset = new TimeSpan(hours, Math.Sign(hours) * minutes, 0);
        var statistics = _host.Services.GetRequiredService<RunStatistics>();

        // From 11:00 UTC: the runs of 11:00, 12:00 and 13:00.
        var summary = await statistics.SummarizeAsync(Start.AddHours(2).ToOffset(offset));

        Assert.Equal(3, summary.Total);
        Assert.Equal(3, summary.Count(RunStatus.Queued));
    }

    [Fact]
    public async Task StoredTimes_KeepEveryTick_AndComeBackInUtc()
    {
        var run = (await _host.Runs.GetAsync(_hourly[0]))!.Run;

        Assert.Equal(Start, run.CreatedAt);
        Assert.Equal(TimeSpan.Zero, run.CreatedAt.Offset);
    }
}

/// <summary>The same over HTTP: <c>GET /api/v1/runs?from=…+02:00</c> is not two hours off.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class RunTimeFilterApiTests(ConsoleHostFixture host) : IDisposable
{
    private readonly HttpClient _client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("+02:00")]
    [InlineData("-05:00")]
    [InlineData("+05:45")]
    public async Task ListRuns_FiltersByInstant_WhenFromAndToCarryAnOffset(string offsetText)
    {
        var offset = TimeSpan.Parse(offsetText.TrimStart('+'), CultureInfo.InvariantCulture);
        using var started = await _client.PostAsJsonAsync($"/api/v1/agents/{DemoWorkspace.LeadRouterKey}/runs",
            new JsonObject { ["input"] = JsonNode.Parse(FakeProviderRuns.MidMarketLead) });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var createdAt = (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/runs/{runId}")).GetProperty("createdAt").GetDateTimeOffset();

        var around = await IdsAsync(createdAt.AddSeconds(-1).ToOffset(offset), createdAt.AddSeconds(1).ToOffset(offset));
        var after = await IdsAsync(createdAt.AddSeconds(1).ToOffset(offset), null);
        var before = await IdsAsync(null, createdAt.AddSeconds(-1).ToOffset(offset));

        Assert.Contains(runId, around);
        Assert.DoesNotContain(runId, after);
        Assert.DoesNotContain(runId, before);
    }

    private async Task<List<Guid>> IdsAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        var query = $"/api/v1/runs?agent={DemoWorkspace.LeadRouterKey}&limit=200";
        if (from is { } f)
        {
            query += "&from=" + Uri.EscapeDataString(f.ToString("O", CultureInfo.InvariantCulture));
        }

        if (to is { } t)
        {
            query += "&to=" + Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));
        }

        var page = await _client.GetFromJsonAsync<JsonElement>(query);
        return [.. page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid())];
    }
}
