using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Api;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Escalations;

/// <summary>The review queue over HTTP: list, read, claim/release, resolve, and the figures the dashboard uses.</summary>
public static class EscalationEndpoints
{
    public static IEndpointRouteBuilder MapEscalationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var escalations = endpoints.MapGroup("/api/v1/escalations").WithTags("Escalations").RequireAuthorization(Policies.AnyRole);
        escalations.MapGet("/", ListAsync).WithName("ListEscalations")
            .WithSummary("Open escalations by due time (status=open) or resolved ones newest first (status=resolved); filter by agent, kind, due; page with cursor");
        escalations.MapGet("/counts", async (ReviewDesk desk, CancellationToken ct) => TypedResults.Ok(await desk.CountAsync(ct)))
            .WithName("CountEscalations").WithSummary("Open, overdue, due-soon and claimed counts, by agent and kind");
        escalations.MapGet("/metrics", MetricsAsync).WithName("EscalationMetrics")
            .WithSummary("Escalation rate per agent, time to resolution and outcomes by reason over the last N days");
        escalations.MapGet("/{id:guid}", GetAsync).WithName("GetEscalation").WithSummary("One escalation with its context");
        escalations.MapPost("/{id:guid}/claim", ClaimAsync).WithName("ClaimEscalation")
            .WithSummary("Claim an open escalation so no other reviewer works it; 409 names who holds it").RequireAuthorization(Policies.Escalations);
        escalations.MapPost("/{id:guid}/release", ReleaseAsync).WithName("ReleaseEscalation")
            .WithSummary("Release your claim").RequireAuthorization(Policies.Escalations);
        escalations.MapPost("/{id:guid}/resolve", ResolveAsync).WithName("ResolveEscalation")
            .WithSummary("approve, reject, edit-approve, return, take-over or cancel: resumes or ends the paused run").RequireAuthorization(Policies.Escalations);
        return endpoints;
    }

    private static async Task<Results<Ok<EscalationPageResponse>, ProblemHttpResult>> ListAsync(
        ReviewDesk desk, string? status, string? agent, string? kind, string? due, string? cursor, int? limit, CancellationToken ct)
    {
        var open = status?.Trim().ToLowerInvariant() switch
        {
            null or "" or "open" => true,
            "resolved" => (bool?)false,
            _ => null,
        };
        if (open is null)
        {
            return Bad($"status must be open or resolved; got {JsonSerializer.Serialize(status)}.", "Invalid status");
        }

        EscalationKind? parsedKind = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Enum.TryParse<EscalationKind>(kind, ignoreCase: true, out var k) || int.TryParse(kind, out _))
            {
                return Bad($"kind must be one of {string.Join(", ", Enum.GetNames<EscalationKind>())}.", "Invalid kind");
            }

            parsedKind = k;
        }

        EscalationDue? parsedDue = null;
        if (!string.IsNullOrWhiteSpace(due))
        {
            if (!Enum.TryParse<EscalationDue>(due, ignoreCase: true, out var d) || int.TryParse(due, out _))
            {
                return Bad("due must be overdue or soon.", "Invalid due filter");
            }

            parsedDue = d;
        }

        if (limit is < 1 or > ReviewDesk.MaxPageSize)
        {
            return Bad($"limit must be between 1 and {ReviewDesk.MaxPageSize}.", "Invalid limit");
        }

        try
        {
            var page = await desk.ListAsync(new EscalationQuery(open.Value, agent, parsedKind, parsedDue, null, cursor, limit ?? 50), ct);
            return TypedResults.Ok(new EscalationPageResponse([.. page.Items.Select(EscalationSummaryResponse.From)], page.NextCursor));
        }
        catch (FormatException ex)
        {
            return Bad(ex.Message, "Invalid cursor");
        }
    }

    private static async Task<Results<Ok<EscalationMetrics>, ProblemHttpResult>> MetricsAsync(EscalationStatistics statistics, int? days, string? agent, CancellationToken ct)
    {
        if (days is < 1 or > EscalationStatistics.MaxDays)
        {
            return Bad($"days must be between 1 and {EscalationStatistics.MaxDays}.", "Invalid days");
        }

        return TypedResults.Ok(await statistics.ComputeAsync(days ?? 30, agent, ct));
    }

    private static async Task<Results<Ok<EscalationResponse>, ProblemHttpResult>> GetAsync(Guid id, EscalationResolver resolver, TimeProvider time, CancellationToken ct) =>
        await resolver.FindAsync(id, ct) is { } escalation
            ? TypedResults.Ok(EscalationResponse.From(escalation, time.GetUtcNow()))
            : TypedResults.Problem($"No escalation {id}.", statusCode: StatusCodes.Status404NotFound, title: "Escalation not found");

    private static async Task<Results<Ok<EscalationCommandResponse>, ProblemHttpResult>> ClaimAsync(
        Guid id, ClaimEscalationRequest? request, ReviewDesk desk, EscalationResolver resolver, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "escalation", out var version, out var problem))
        {
            return problem!;
        }

        return await Reply(await desk.ClaimAsync(id, http.User.ActorName(), version ?? request?.Version, ct), id, resolver, ct);
    }

    private static async Task<Results<Ok<EscalationCommandResponse>, ProblemHttpResult>> ReleaseAsync(
        Guid id, ClaimEscalationRequest? request, ReviewDesk desk, EscalationResolver resolver, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "escalation", out var version, out var problem))
        {
            return problem!;
        }

        return await Reply(await desk.ReleaseAsync(id, http.User.ActorName(), version ?? request?.Version, ct), id, resolver, ct);
    }

    private static async Task<Results<Accepted<EscalationCommandResponse>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        Guid id, ResolveEscalationRequest request, EscalationResolver resolver, HttpContext http, CancellationToken ct)
    {
        if (!EscalationActions.TryParse(request.Action, out var action))
        {
            return Bad($"action must be one of {string.Join(", ", EscalationActions.Names)}; got {JsonSerializer.Serialize(request.Action)}.", "Invalid action");
        }

        if (!IfMatch.TryRead(http.Request, "escalation", out var version, out var problem))
        {
            return problem!;
        }

        var decision = new EscalationDecision(action, request.Reason ?? request.Comment, request.Arguments, request.Guidance, request.Value, version ?? request.Version);
        var reviewer = new EscalationReviewer(http.User.ActorName(), http.User.RoleNames(), http.User.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value);
        var result = await resolver.ResolveAsync(id, decision, reviewer, ct);
        return result.Outcome switch
        {
            RunCommandOutcome.Done => TypedResults.Accepted(result.RunId is { } run ? $"/api/v1/runs/{run}" : null, new EscalationCommandResponse(result.RunId, result.Message)),
            RunCommandOutcome.Invalid => TypedResults.ValidationProblem(result.Errors ?? new Dictionary<string, string[]>(), detail: result.Message, title: "Invalid decision"),
            _ => Problem(result),
        };
    }

    private static async Task<Results<Ok<EscalationCommandResponse>, ProblemHttpResult>> Reply(RunCommandResult result, Guid id, EscalationResolver resolver, CancellationToken ct)
    {
        if (result.Outcome != RunCommandOutcome.Done)
        {
            return Problem(result);
        }

        var version = (await resolver.FindAsync(id, ct))?.Version;
        return TypedResults.Ok(new EscalationCommandResponse(result.RunId, result.Message, version));
    }

    private static ProblemHttpResult Problem(RunCommandResult result) => result.Outcome switch
    {
        RunCommandOutcome.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Escalation not found"),
        RunCommandOutcome.Forbidden => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status403Forbidden, title: "Not yours to decide"),
        RunCommandOutcome.Invalid => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid decision"),
        _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
    };

    private static ProblemHttpResult Bad(string detail, string title) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
