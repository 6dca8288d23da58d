using System.Globalization;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Engine.Evaluations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Evaluations;

/// <summary>
/// Evaluations over HTTP: Owners and Admins start them; Managers read them too (the <see cref="Policies.Monitoring"/>
/// roles); Reviewers do not reach them.
/// </summary>
public static class EvaluationEndpoints
{
    public static IEndpointRouteBuilder MapEvaluationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/agents/{key}/evaluations", StartAsync).WithTags("Evaluations").WithName("StartEvaluation")
            .WithSummary("Evaluate a configuration against a test set, in the background: {\"promptVersion\": id or number, \"testSet\": id, \"decisions\": {\"key\": n}}, "
                + "all optional (the latest draft, else the published prompt; the default test set; each decision's draft, else published); 202 with the id")
            .RequireAuthorization(Policies.Prompts);
        endpoints.MapGet("/api/v1/agents/{key}/evaluations", ListAsync).WithTags("Evaluations").WithName("ListEvaluations")
            .WithSummary("The agent's evaluations, newest first; page with offset and limit").RequireAuthorization(Policies.Monitoring);
        endpoints.MapGet("/api/v1/evaluations/{id:guid}", GetAsync).WithTags("Evaluations").WithName("GetEvaluation")
            .WithSummary("Status, progress, scores, per-case verdicts with reasons, and the comparison with the published configuration")
            .RequireAuthorization(Policies.Monitoring);
        return endpoints;
    }

    private static async Task<Results<Accepted<StartEvaluationResponse>, ProblemHttpResult>> StartAsync(
        string key, StartEvaluationRequest? request, AgentEvaluations evaluations, HttpContext http, CancellationToken ct)
    {
        Guid? promptId = null;
        int? promptNumber = null;
        switch (request?.PromptVersion)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                break;
            case { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var number) && number > 0:
                promptNumber = number;
                break;
            case { ValueKind: JsonValueKind.String } s when Guid.TryParse(s.GetString(), out var id):
                promptId = id;
                break;
            case { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0:
                promptNumber = number;
                break;
            default:
                return Bad("promptVersion must be a prompt version id or its number (1, 2, ...).", "Invalid prompt version");
        }

        Guid? setId = null;
        switch (request?.TestSet)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                break;
            case { ValueKind: JsonValueKind.String } s when Guid.TryParse(s.GetString(), out var id):
                setId = id;
                break;
            default:
                return Bad("testSet must be the id of one of the agent's test sets.", "Invalid test set");
        }

        if (request?.Decisions?.FirstOrDefault(d => d.Value < 1 || string.IsNullOrWhiteSpace(d.Key)) is { Key: not null } bad)
        {
            return Bad($"decisions maps a decision key to a version number of 1 or more; got {JsonSerializer.Serialize(bad.Key)}: {bad.Value}.", "Invalid decisions");
        }

        var result = await evaluations.StartAsync(key, new EvaluationRequest(promptId, promptNumber, setId, request?.Decisions), http.User.ActorName(), ct);
        return result.Outcome switch
        {
            EvaluationStartOutcome.Started => TypedResults.Accepted($"/api/v1/evaluations/{result.EvaluationId}",
                new StartEvaluationResponse(result.EvaluationId!.Value, nameof(EvaluationStatus.Queued), result.BaselineEvaluationId)),
            EvaluationStartOutcome.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            EvaluationStartOutcome.Invalid => Bad(result.Message!, "Cannot evaluate"),
            _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Model provider not configured"),
        };
    }

    private static async Task<Results<Ok<EvaluationPageResponse>, ProblemHttpResult>> ListAsync(
        string key, AgentEvaluations evaluations, int? offset, int? limit, CancellationToken ct)
    {
        if (offset is < 0)
        {
            return Bad("offset is the nextOffset of the previous page (0 or more).", "Invalid offset");
        }

        if (limit is < 1 or > AgentEvaluations.MaxPageSize)
        {
            return Bad($"limit must be between 1 and {AgentEvaluations.MaxPageSize}.", "Invalid limit");
        }

        var page = await evaluations.ListAsync(key, offset ?? 0, limit ?? 20, ct);
        return TypedResults.Ok(new EvaluationPageResponse([.. page.Items.Select(EvaluationSummaryResponse.From)], page.NextOffset));
    }

    private static async Task<Results<Ok<EvaluationResponse>, ProblemHttpResult>> GetAsync(Guid id, AgentEvaluations evaluations, CancellationToken ct) =>
        await evaluations.GetAsync(id, ct) is { } detail
            ? TypedResults.Ok(EvaluationResponse.From(detail))
            : TypedResults.Problem($"No evaluation {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult Bad(string detail, string title) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
