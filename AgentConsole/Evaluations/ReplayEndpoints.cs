using System.Text.Json.Nodes;
using AgentConsole.Access;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Engine.Runs;
using AgentConsole.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Evaluations;

/// <summary>Which historical runs to replay against which draft (every field optional; see <see cref="ReplayRequest"/>).</summary>
public sealed record StartReplayRequest(
    DateTimeOffset? From, DateTimeOffset? To, string? Status, IReadOnlyList<Guid>? RunIds, int? Limit, string? PromptVersion,
    IReadOnlyDictionary<string, int>? Decisions);

public sealed record StartTrialRequest(JsonObject? Input, string? PromptVersion, IReadOnlyDictionary<string, int>? Decisions);

public sealed record StartedResponse(Guid Id);

/// <summary>What-if replay and "Try it": both run the draft on the evaluations queue with no external effect.</summary>
public static class ReplayEndpoints
{
    public static IEndpointRouteBuilder MapReplayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var agents = endpoints.MapGroup("/api/v1/agents/{key}").WithTags("Evaluations").RequireAuthorization(Policies.Prompts);
        agents.MapPost("/replays", ReplayAsync).WithName("StartReplay")
            .WithSummary("Replay historical runs against a draft with their recorded tool results frozen; 202 with the evaluation id (GET /api/v1/evaluations/{id})");
        agents.MapPost("/trials", TryAsync).WithName("StartTrial")
            .WithSummary("Run one input against the draft on sandbox connections; 202 with the run id").ThrottleRunsByRouteAgent();
        return endpoints;
    }

    private static async Task<Results<Accepted<StartedResponse>, ProblemHttpResult>> ReplayAsync(
        string key, StartReplayRequest? request, Replays replays, HttpContext http, CancellationToken ct)
    {
        request ??= new StartReplayRequest(null, null, null, null, null, null, null);
        RunStatus? status = null;
        if (!string.IsNullOrWhiteSpace(request.Status))
        {
            if (!Enum.TryParse<RunStatus>(request.Status.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) || int.TryParse(request.Status, out _))
            {
                return TypedResults.Problem($"Unknown status '{request.Status}'. Use one of {string.Join(", ", Enum.GetNames<RunStatus>())}.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Invalid status");
            }

            status = parsed;
        }

        var started = await replays.StartAsync(key, new ReplayRequest(request.From, request.To, status, request.RunIds, request.Limit ?? 50, request.PromptVersion,
            request.Decisions), http.User.ActorName(), ct);
        return started.Outcome switch
        {
            EvaluationStartOutcome.Started => TypedResults.Accepted($"/api/v1/evaluations/{started.EvaluationId}", new StartedResponse(started.EvaluationId!.Value)),
            EvaluationStartOutcome.NotFound => TypedResults.Problem(started.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            EvaluationStartOutcome.Conflict => TypedResults.Problem(started.Message, statusCode: StatusCodes.Status409Conflict, title: "Model not configured"),
            _ => TypedResults.Problem(started.Message, statusCode: StatusCodes.Status400BadRequest, title: "Replay refused"),
        };
    }

    private static async Task<Results<Accepted<StartRunResponse>, ValidationProblem, ProblemHttpResult>> TryAsync(
        string key, StartTrialRequest request, Trials trials, HttpContext http, CancellationToken ct)
    {
        var result = await trials.StartAsync(key, request.Input, request.PromptVersion, request.Decisions, http.User.ActorName(), ct);
        return result.Outcome switch
        {
            RunCommandOutcome.Done => TypedResults.Accepted($"/api/v1/runs/{result.RunId}", new StartRunResponse(result.RunId!.Value, nameof(RunStatus.Queued))),
            RunCommandOutcome.Invalid when result.Errors is { Count: > 0 } errors => TypedResults.ValidationProblem(errors, detail: result.Message, title: "Invalid run input"),
            RunCommandOutcome.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Agent not found"),
            _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status400BadRequest, title: "Trial refused"),
        };
    }
}
