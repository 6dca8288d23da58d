using System.Globalization;
using AgentConsole.Access;
using AgentConsole.Api;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Triggers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentConsole.Triggers;

/// <summary>
/// The triggers REST API: Owners and Admins define, change, rotate and delete triggers; every role reads them, their
/// statistics and inbox and may test a payload against them. A trigger's ETag is its revision (If-Match on PUT and DELETE).
/// </summary>
public static class TriggerEndpoints
{
    public static IEndpointRouteBuilder MapTriggerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var byAgent = endpoints.MapGroup("/api/v1/agents/{key}/triggers").WithTags("Triggers").RequireAuthorization(Policies.AnyRole);
        byAgent.MapGet("/", ListAsync).WithName("ListTriggers").WithSummary("The agent's triggers (secret names only, never values)");
        byAgent.MapPost("/", CreateAsync).WithName("CreateTrigger")
            .WithSummary("Create a trigger; 201 with its URL and, for signed kinds, the signing secret (shown only here and on rotation)")
            .RequireAuthorization(Policies.EditAgents);

        var triggers = endpoints.MapGroup("/api/v1/triggers").WithTags("Triggers").RequireAuthorization(Policies.AnyRole);
        triggers.MapGet("/{key}", GetAsync).WithName("GetTrigger").WithSummary("One trigger; the ETag is its revision");
        triggers.MapPut("/{key}", UpdateAsync).WithName("UpdateTrigger")
            .WithSummary("Replace a trigger's definition; send If-Match with the revision you edited").RequireAuthorization(Policies.EditAgents);
        triggers.MapDelete("/{key}", DeleteAsync).WithName("DeleteTrigger").WithSummary("Delete a trigger (its events stay)")
            .RequireAuthorization(Policies.EditAgents);
        triggers.MapPost("/{key}/rotate-secret", RotateAsync).WithName("RotateTriggerSecret")
            .WithSummary("A new signing secret; the previous one keeps working during the overlap").RequireAuthorization(Policies.EditAgents);
        triggers.MapGet("/{key}/stats", StatsAsync).WithName("TriggerStats")
            .WithSummary("Per day (UTC): received, matched, filtered out, rejected, duplicates, runs started; days=1..366, default 30");
        triggers.MapGet("/{key}/events", EventsAsync).WithName("ListTriggerEvents")
            .WithSummary("The trigger's inbox, newest first, with status and reason; filter by status; page with cursor");
        triggers.MapGet("/{key}/events/{id:guid}", EventAsync).WithName("GetTriggerEvent").WithSummary("One event with its payload");
        triggers.MapPost("/{key}/test", TestAsync).WithName("TestTrigger")
            .WithSummary("Send a payload (default: the kind's sample) through filter and mapping; nothing is stored or started");
        return endpoints;
    }

    private static async Task<Results<Ok<TriggerResponse[]>, ProblemHttpResult>> ListAsync(
        string key, TriggerCatalog catalog, AgentCatalog agents, HttpContext http, CancellationToken ct)
    {
        if (await agents.FindAsync(key, ct) is null)
        {
            return AgentNotFound(key);
        }

        var list = await catalog.ListAsync(key, ct);
        return TypedResults.Ok(list.Select(t => TriggerResponse.From(t, catalog, BaseUri(http))).ToArray());
    }

    private static async Task<Results<Created<TriggerCreatedResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string key, TriggerRequest request, TriggerCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (TriggerRequest.ParseKind(request.Kind) is not { } kind)
        {
            return UnknownKind(request.Kind, catalog);
        }

        var result = await catalog.CreateAsync(key, request.ToDraft(kind), http.User.ActorName(), ct);
        switch (result.Outcome)
        {
            case TriggerCommandOutcome.Done:
                var trigger = TriggerResponse.From(result.Trigger!, catalog, BaseUri(http));
                http.Response.Headers.ETag = IfMatch.ETagOf(trigger.Revision);
                return TypedResults.Created($"/api/v1/triggers/{trigger.Key}", new TriggerCreatedResponse(trigger.Key, trigger.Url, result.Secret, trigger));
            default:
                return Refused(result, key);
        }
    }

    private static async Task<Results<Ok<TriggerResponse>, ProblemHttpResult>> GetAsync(string key, TriggerCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (await catalog.FindAsync(key, ct) is not { } trigger)
        {
            return TriggerNotFound(key);
        }

        http.Response.Headers.ETag = IfMatch.ETagOf(trigger.Revision);
        return TypedResults.Ok(TriggerResponse.From(trigger, catalog, BaseUri(http)));
    }

    private static async Task<Results<Ok<TriggerResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string key, TriggerRequest request, TriggerCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "trigger", out var expected, out var badHeader))
        {
            return badHeader!;
        }

        if (await catalog.FindAsync(key, ct) is not { } existing)
        {
            return TriggerNotFound(key);
        }

        // A replace may leave the kind out (it cannot change anyway); a kind it names must be one.
        var kind = existing.Kind;
        if (request.Kind is not null)
        {
            if (TriggerRequest.ParseKind(request.Kind) is not { } parsed)
            {
                return UnknownKind(request.Kind, catalog);
            }

            kind = parsed;
        }

        var result = await catalog.UpdateAsync(key, request.ToDraft(kind), expected, http.User.ActorName(), ct);
        if (result.Outcome != TriggerCommandOutcome.Done)
        {
            return Refused(result, key);
        }

        http.Response.Headers.ETag = IfMatch.ETagOf(result.Trigger!.Revision);
        return TypedResults.Ok(TriggerResponse.From(result.Trigger, catalog, BaseUri(http)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string key, TriggerCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "trigger", out var expected, out var badHeader))
        {
            return badHeader!;
        }

        var result = await catalog.DeleteAsync(key, expected, http.User.ActorName(), ct);
        return result.Outcome == TriggerCommandOutcome.Done ? TypedResults.NoContent() : Refused(result, key);
    }

    private static async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> RotateAsync(
        string key, TriggerCatalog catalog, HttpContext http, CancellationToken ct)
    {
        var result = await catalog.RotateSecretAsync(key, http.User.ActorName(), ct);
        if (result.Outcome != TriggerCommandOutcome.Done)
        {
            return Refused(result, key);
        }

        http.Response.Headers.ETag = IfMatch.ETagOf(result.Trigger!.Revision);
        return TypedResults.Ok(new RotatedSecretResponse(result.Secret!, PreviousValidUntil(catalog.SecretsOf(result.Trigger))));
    }

    private static async Task<Results<Ok<TriggerStatsResponse>, ProblemHttpResult>> StatsAsync(
        string key, int? days, TriggerCatalog catalog, TriggerStatistics statistics, CancellationToken ct)
    {
        if (days is < 1 or > TriggerStatistics.MaxDays)
        {
            return BadRequest("Invalid days", $"days is a whole number from 1 to {TriggerStatistics.MaxDays}.");
        }

        if (await catalog.FindAsync(key, ct) is not { } trigger)
        {
            return TriggerNotFound(key);
        }

        var window = days ?? 30;
        return TypedResults.Ok(new TriggerStatsResponse(trigger.Key, window, await statistics.DailyAsync(trigger.Id, window, ct)));
    }

    private static async Task<Results<Ok<TriggerEventPageResponse>, ProblemHttpResult>> EventsAsync(
        string key, string? cursor, string? status, int? limit, TriggerCatalog catalog, TriggerStatistics statistics, CancellationToken ct)
    {
        TriggerEventStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            var compact = status.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            if (compact.All(char.IsAsciiDigit) || !Enum.TryParse<TriggerEventStatus>(compact, ignoreCase: true, out var parsed))
            {
                return BadRequest("Invalid status", $"Unknown status '{status}'. Use one of {string.Join(", ", Enum.GetNames<TriggerEventStatus>())}.");
            }

            wanted = parsed;
        }

        if (limit is < 1 or > TriggerStatistics.MaxPageSize)
        {
            return BadRequest("Invalid limit", $"limit is a whole number from 1 to {TriggerStatistics.MaxPageSize}.");
        }

        if (await catalog.FindAsync(key, ct) is not { } trigger)
        {
            return TriggerNotFound(key);
        }

        try
        {
            var page = await statistics.EventsAsync(trigger.Id, cursor, limit ?? 50, wanted, ct);
            return TypedResults.Ok(new TriggerEventPageResponse([.. page.Items.Select(e => TriggerEventResponse.From(e, withPayload: false))], page.NextCursor));
        }
        catch (FormatException ex)
        {
            return BadRequest("Invalid cursor", ex.Message);
        }
    }

    private static async Task<Results<Ok<TriggerEventResponse>, ProblemHttpResult>> EventAsync(
        string key, Guid id, TriggerCatalog catalog, TriggerStatistics statistics, CancellationToken ct)
    {
        if (await catalog.FindAsync(key, ct) is not { } trigger)
        {
            return TriggerNotFound(key);
        }

        return await statistics.EventAsync(id, ct) is { } e && e.TriggerId == trigger.Id
            ? TypedResults.Ok(TriggerEventResponse.From(e, withPayload: true))
            : TypedResults.Problem($"Trigger '{trigger.Key}' has no event {id}.", statusCode: StatusCodes.Status404NotFound, title: "Event not found");
    }

    private static async Task<Results<Ok<TriggerTestResponse>, ProblemHttpResult>> TestAsync(
        string key, TriggerTestRequest? request, TriggerCatalog catalog, AgentCatalog agents, CancellationToken ct)
    {
        if (await catalog.FindAsync(key, ct) is not { } trigger)
        {
            return TriggerNotFound(key);
        }

        if (catalog.Handler(trigger.Kind) is not { } handler || await agents.FindAsync(trigger.AgentKey, ct) is not { } agent)
        {
            return TypedResults.Problem($"Trigger '{trigger.Key}' cannot be tested: its kind or its agent '{trigger.AgentKey}' is not available here.",
                statusCode: StatusCodes.Status409Conflict, title: "Trigger not testable");
        }

        var payload = request?.Payload ?? handler.SamplePayload(trigger);
        var evaluation = TriggerEvaluation.Of(trigger, TriggerEvaluation.FilterOf(trigger), agent, payload);
        return TypedResults.Ok(new TriggerTestResponse(evaluation.Filter.Matched, evaluation.Filter.Reason, payload, evaluation.Input, evaluation.InputErrors));
    }

    private static DateTimeOffset? PreviousValidUntil(IReadOnlyDictionary<string, string> secrets) =>
        secrets.TryGetValue(TriggerSecrets.PreviousSigningUntil, out var until)
        && DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;

    /// <summary>
    /// A command the catalog refused: 404 (its message names the agent or trigger), 400 with errors keyed where they are
    /// (e.g. <c>filter.conditions[0].test</c>), 412 when the trigger changed since the revision the caller edited (as the
    /// agents API answers a stale If-Match), or 409.
    /// </summary>
    private static ProblemHttpResult Refused(TriggerCommandResult result, string key) => result.Outcome switch
    {
        TriggerCommandOutcome.NotFound => TypedResults.Problem(result.Message ?? $"No trigger with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        TriggerCommandOutcome.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(result.Errors?.ToDictionary() ?? [])
        {
            Status = StatusCodes.Status400BadRequest,
            Title = result.Message,
        }),
        TriggerCommandOutcome.Stale => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Edit conflict"),
        _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
    };

    private static ValidationProblem UnknownKind(string? kind, TriggerCatalog catalog) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]>
        {
            ["kind"] = [$"'{kind}' is not a trigger kind; the kinds are {string.Join(", ", catalog.Kinds.Order().Select(k => k.ToString()))}."],
        },
        title: "Unknown trigger kind");

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    private static ProblemHttpResult AgentNotFound(string key) =>
        TypedResults.Problem($"No agent with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Agent not found");

    private static ProblemHttpResult TriggerNotFound(string key) =>
        TypedResults.Problem($"No trigger with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Trigger not found");

    private static string BaseUri(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
