using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Engine.Audit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Audit;

public sealed record AuditEventResponse(
    long Sequence,
    DateTimeOffset Timestamp,
    string ActorType,
    string Actor,
    string Category,
    string Action,
    string? Agent,
    string? Run,
    string Summary,
    JsonElement Payload,
    string Hash)
{
    public static AuditEventResponse From(AuditEventView e)
    {
        JsonElement payload;
        try
        {
            using var doc = JsonDocument.Parse(e.Payload);
            payload = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            payload = JsonSerializer.SerializeToElement(e.Payload);
        }

        return new(e.Sequence, e.Timestamp, e.ActorType.ToString(), e.Actor, e.Category.ToString(), e.Action, e.AgentKey, e.RunId, e.Summary, payload, e.Hash);
    }
}

public sealed record AuditPageResponse(IReadOnlyList<AuditEventResponse> Events, long? NextCursor);

public sealed record AuditVerificationResponse(bool Ok, long EventsChecked, long? FirstBrokenSequence, string? Reason, double DurationMs, double EventsPerSecond);

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.AnyRole);
        group.MapGet("/", SearchAsync).WithName("SearchAudit")
            .WithSummary("Search audit events, newest first: q (words, \"phrases\", prefix*, -exclude), from, to, agent, run, actor, category, cursor, limit");
        // A POST: it writes an audit event and walks every event, so no link or image tag may trigger it; Admins only, throttled.
        group.MapPost("/verify", VerifyAsync).WithName("VerifyAudit").WithSummary("Walk the hash chain and report OK or the first broken event (Admin)")
            .RequireAuthorization(Policies.Admin);
        group.MapGet("/export", ExportAsync).WithName("ExportAudit").WithSummary("Stream the matching events, oldest first, as CSV or JSON Lines (format=csv|jsonl)");
        return endpoints;
    }

    private static async Task<Results<Ok<AuditPageResponse>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        HttpContext http, AuditSearch search, CancellationToken ct)
    {
        var parsed = AuditQueryParser.Parse(name => http.Request.Query[name], 50, search.MaxPageSize);
        if (parsed.Query is null)
        {
            return TypedResults.ValidationProblem(parsed.Errors, title: "Invalid audit search");
        }

        try
        {
            var page = await search.SearchAsync(parsed.Query, ct);
            return TypedResults.Ok(new AuditPageResponse([.. page.Events.Select(AuditEventResponse.From)], page.NextCursor));
        }
        catch (AuditQueryException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid audit search");
        }
    }

    private static async Task<Results<Ok<AuditVerificationResponse>, EmptyHttpResult>> VerifyAsync(
        HttpContext http, AuditChain chain, RequestThrottle throttle, CancellationToken ct)
    {
        var throttled = throttle.AcquireAuditVerification(RequestThrottle.CallerKey(http.User));
        if (!throttled.Allowed)
        {
            await RequestThrottle.WriteTooManyRequestsAsync(http, throttled, "Too many audit verifications; wait before verifying again.");
            return TypedResults.Empty;
        }

        var result = await chain.VerifyAsync(AuditActor.Parse(http.User.ActorName()), ct);
        return TypedResults.Ok(new AuditVerificationResponse(result.Ok, result.EventsChecked, result.FirstBrokenSequence, result.Reason,
            Math.Round(result.Duration.TotalMilliseconds, 1), Math.Round(result.EventsPerSecond)));
    }

    private static async Task<IResult> ExportAsync(HttpContext http, AuditSearch search, CancellationToken ct)
    {
        var format = http.Request.Query["format"].ToString().ToLowerInvariant() switch
        {
            "" or "csv" => (AuditExportFormat?)AuditExportFormat.Csv,
            "jsonl" or "ndjson" => AuditExportFormat.JsonLines,
            _ => null,
        };
        var parsed = AuditQueryParser.Parse(name => http.Request.Query[name], 50, int.MaxValue);
        if (format is null)
        {
            parsed.Errors["format"] = ["format must be csv or jsonl."];
        }

        if (parsed.Query is null || parsed.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(parsed.Errors, title: "Invalid audit export");
        }

        long total;
        try
        {
            total = await search.CountAsync(parsed.Query, ct);
        }
        catch (AuditQueryException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid audit export");
        }

        var extension = format == AuditExportFormat.Csv ? "csv" : "jsonl";
        http.Response.ContentType = format == AuditExportFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{extension}\"";
        http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await search.ExportAsync(parsed.Query, format!.Value, http.Response.Body, ct);
        return TypedResults.Empty;
    }
}
