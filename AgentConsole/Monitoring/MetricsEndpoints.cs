using System.Globalization;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Monitoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Monitoring;

/// <summary>The dashboard's figures over HTTP, read from the same rollups as the page.</summary>
public static class MetricsEndpoints
{
    /// <summary>The longest window one request may ask for.</summary>
    public const int MaxDays = 400;

    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var metrics = endpoints.MapGroup("/api/v1/metrics").WithTags("Metrics").RequireAuthorization(Policies.Monitoring);
        metrics.MapGet("/summary", SummaryAsync).WithName("MetricsSummary")
            .WithSummary("Run volume, error and escalation rates, cost, tokens and durations of runs that ended between from and to (default: the last 7 days), optionally for one agent");
        metrics.MapPost("/rollups/rebuild", RebuildAsync).WithName("RebuildRollups")
            .WithSummary("Recompute the hourly rollups from the runs (after restoring a backup, say)").RequireAuthorization(Policies.Admin);
        return endpoints;
    }

    private static async Task<Results<Ok<MetricsSummaryResponse>, ProblemHttpResult>> SummaryAsync(
        RunMetrics metrics, AgentCatalog agents, TimeProvider time, string? agent, string? from, string? to, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!TryParse(to, now, out var until))
        {
            return Bad($"to must be an ISO 8601 date or date-time (e.g. 2026-12-07T00:00:00Z); got {JsonSerializer.Serialize(to)}.", "Invalid to");
        }

        if (!TryParse(from, until - TimeSpan.FromDays(7), out var since))
        {
            return Bad($"from must be an ISO 8601 date or date-time (e.g. 2026-12-01T00:00:00Z); got {JsonSerializer.Serialize(from)}.", "Invalid from");
        }

        if (since >= until)
        {
            return Bad("from must be before to.", "Invalid window");
        }

        if (until - since > TimeSpan.FromDays(MaxDays))
        {
            return Bad($"The window may span at most {MaxDays} days.", "Window too long");
        }

        var key = string.IsNullOrWhiteSpace(agent) ? null : agent.Trim();
        if (key is not null && await agents.FindAsync(key, ct) is null)
        {
            return TypedResults.Problem($"No agent '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Agent not found");
        }

        var summary = await metrics.SummarizeAsync(new MetricsQuery(since, until, key), ct);
        return TypedResults.Ok(MetricsSummaryResponse.Of(summary));
    }

    private static async Task<Ok<RebuildResponse>> RebuildAsync(RollupFolder folder, CancellationToken ct) =>
        TypedResults.Ok(new RebuildResponse(await folder.RebuildAsync(ct)));

    private static bool TryParse(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }

        // A date alone means its midnight in UTC; a date-time without an offset is UTC too.
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static ProblemHttpResult Bad(string detail, string title) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
