using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Access;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Runs;

public sealed record StartRunRequest(JsonObject? Input);

public sealed record StartRunResponse(Guid RunId, string Status);

public sealed record RunSummaryResponse(
    Guid Id, string Agent, string AgentName, RunStatus Status, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt, int Steps, int ToolCalls, long InputTokens, long OutputTokens, decimal CostUsd, bool UsageEstimated,
    string? Reason, RunLimit? LimitHit, DateTimeOffset? RawDataPurgedAt, string? TriggerKey, Guid? TriggerEventId, RunKind Kind, RunConfigurationResponse Configuration)
{
    public static RunSummaryResponse From(Run r) => new(
        r.Id, r.AgentKey, r.AgentName, r.Status, r.CreatedAt, r.CreatedBy, r.StartedAt, r.CompletedAt, r.ModelCalls, r.ToolCalls,
        r.InputTokens, r.OutputTokens, r.CostUsd, r.UsageEstimated, r.Reason, r.LimitHit, r.RawDataPurgedAt, r.TriggerKey, r.TriggerEventId,
        r.Kind, RunConfigurationResponse.From(r));
}

/// <summary>What a run ran under: the agent definition's revision, the prompt version (null: the built-in prompt) and the decision versions.</summary>
public sealed record RunConfigurationResponse(int? AgentRevision, Guid? PromptVersionId, int? PromptVersion, IReadOnlyDictionary<string, int> Decisions,
    Guid? EvaluationId, Guid? ReplayOf)
{
    public static RunConfigurationResponse From(Run r) => new(r.AgentRevision, r.PromptVersionId, r.PromptVersionNumber,
        AgentConsole.Engine.DecisionTables.DecisionVersionMap.Read(r.DecisionVersionsJson), r.EvaluationId, r.ReplayOf);
}

public sealed record RunPageResponse(IReadOnlyList<RunSummaryResponse> Items, string? NextCursor);

public sealed record RunStepResponse(
    int Sequence, DateTimeOffset At, RunStepKind Kind, string Title, JsonNode? Detail, bool IsError, string? Tool,
    long? InputTokens, long? OutputTokens, decimal? CostUsd, bool UsageEstimated, long? DurationMs);

public sealed record RunDetailResponse(
    Guid Id, string Agent, string AgentName, RunStatus Status, string? Provider, string? Model, JsonNode? Input, JsonNode? Facts, string? Output,
    string? Reason, RunLimit? LimitHit, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    int Steps, int ToolCalls, long InputTokens, long OutputTokens, decimal CostUsd, bool UsageEstimated, long ActiveMilliseconds,
    Guid? RerunOf, bool CancelRequested, IReadOnlyList<Guid> EscalationIds, IReadOnlyList<AgentConsole.Escalations.EscalationResponse> Escalations,
    IReadOnlyList<RunStepResponse> Timeline, DateTimeOffset? RawDataPurgedAt, string? TriggerKey, Guid? TriggerEventId, RunKind Kind,
    RunConfigurationResponse Configuration)
{
    public static RunDetailResponse From(RunDetail d, DateTimeOffset now)
    {
        var r = d.Run;
        // The timeline holds the redacted input (first step); the API shows that, never the raw trigger values.
        var input = d.Steps.FirstOrDefault(s => s.Kind == RunStepKind.Trigger)?.DetailJson is { } trigger ? JsonNode.Parse(trigger)?["input"]?.DeepClone() : null;
        return new(r.Id, r.AgentKey, r.AgentName, r.Status, r.Provider, r.ModelId, input, AgentConsole.Escalations.EscalationResponse.Parse(r.FactsJson), r.Output, r.Reason,
            r.LimitHit, r.CreatedAt, r.CreatedBy, r.StartedAt, r.CompletedAt, r.ModelCalls, r.ToolCalls, r.InputTokens, r.OutputTokens, r.CostUsd,
            r.UsageEstimated, r.ActiveMilliseconds, r.RerunOf, r.CancelRequested, [.. d.Escalations.Select(e => e.Id)],
            [.. d.Escalations.Select(e => AgentConsole.Escalations.EscalationResponse.From(e, now))],
            [.. d.Steps.Select(s => new RunStepResponse(s.Sequence, s.At, s.Kind, s.Title, AgentConsole.Escalations.EscalationResponse.Parse(s.DetailJson), s.IsError, s.ToolName,
                s.InputTokens, s.OutputTokens, s.CostUsd, s.UsageEstimated, s.DurationMs))],
            r.RawDataPurgedAt, r.TriggerKey, r.TriggerEventId, r.Kind, RunConfigurationResponse.From(r));
    }
}

public sealed record CommandResponse(Guid? RunId, string? Message);

public sealed record ModelProviderResponse(string Name, ModelProviderKind Kind, string Label, bool IsConfigured, string? Model, string? Endpoint,
    decimal InputPricePerMillion, decimal OutputPricePerMillion, bool IsDefault);

public static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/agents/{key}/runs", StartAsync)
            .WithTags("Runs").WithName("StartRun").WithSummary("Start a run of the agent on an input; 202 with the run id")
            .RequireAuthorization(Policies.EditAgents).ThrottleRunsByRouteAgent();

        var runs = endpoints.MapGroup("/api/v1/runs").WithTags("Runs").RequireAuthorization(Policies.AnyRole);
        runs.MapGet("/", ListAsync).WithName("ListRuns").WithSummary("Runs, newest first; filter by agent, trigger, status and time; page with cursor");
        runs.MapGet("/{id:guid}", GetAsync).WithName("GetRun").WithSummary("A run with its totals, output, escalations and timeline");
        runs.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelRun").WithSummary("Cancel a run").RequireAuthorization(Policies.EditAgents);
        runs.MapPost("/{id:guid}/rerun", RerunAsync).WithName("RerunRun").WithSummary("Start a new run with the same input")
            .RequireAuthorization(Policies.EditAgents).ThrottleRunsByRunAgent();

        endpoints.MapGet("/api/v1/models", (ModelProviders models) => TypedResults.Ok(models.List()
                .Select(p => new ModelProviderResponse(p.Name, p.Kind, p.Label, p.IsConfigured, p.Model, p.Endpoint, p.InputPricePerMillion,
                    p.OutputPricePerMillion, string.Equals(p.Name, models.DefaultName, StringComparison.OrdinalIgnoreCase)))
                .ToArray()))
            .WithTags("Models").WithName("ListModels").WithSummary("Configured model providers and prices (never keys)")
            .RequireAuthorization(Policies.AnyRole);
        return endpoints;
    }

    private static async Task<Results<Accepted<StartRunResponse>, ValidationProblem, ProblemHttpResult>> StartAsync(
        string key, StartRunRequest request, AgentRuns runs, HttpContext http, CancellationToken ct)
    {
        var result = await runs.StartAsync(key, request.Input, http.User.ActorName(), ct: ct);
        return result.Outcome switch
        {
            RunCommandOutcome.Done => TypedResults.Accepted($"/api/v1/runs/{result.RunId}", new StartRunResponse(result.RunId!.Value, nameof(RunStatus.Queued))),
            RunCommandOutcome.Invalid => TypedResults.ValidationProblem(result.Errors ?? new Dictionary<string, string[]>(), detail: result.Message, title: "Invalid run input"),
            RunCommandOutcome.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Agent not found"),
            _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Agent paused"),
        };
    }

    private static async Task<Results<Ok<RunPageResponse>, ProblemHttpResult>> ListAsync(
        AgentRuns runs, HttpContext http, string? agent, string? status, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, string? trigger,
        string? kind, CancellationToken ct)
    {
        // Production runs unless asked: evaluation, replay and trial runs are the workbench's, not the business's.
        RunKind? kinds = RunKind.Production;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (string.Equals(kind, "all", StringComparison.OrdinalIgnoreCase))
            {
                kinds = null;
            }
            else if (Enum.TryParse<RunKind>(kind, ignoreCase: true, out var k) && !int.TryParse(kind, out _))
            {
                kinds = k;
            }
            else
            {
                return TypedResults.Problem($"Unknown kind '{kind}'. Use one of {string.Join(", ", Enum.GetNames<RunKind>())} or all.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Invalid kind");
            }
        }

        RunStatus? parsed = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<RunStatus>(status.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var s) || int.TryParse(status, out _))
            {
                return TypedResults.Problem($"Unknown status '{status}'. Use one of {string.Join(", ", Enum.GetNames<RunStatus>())}.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Invalid status");
            }

            parsed = s;
        }

        if (limit is < 1 or > AgentRuns.MaxPageSize)
        {
            return TypedResults.Problem($"limit must be between 1 and {AgentRuns.MaxPageSize}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit");
        }

        try
        {
            var page = await runs.ListAsync(new RunQuery(agent, parsed, from, to, cursor, limit ?? 50, trigger, kinds), ct);
            return TypedResults.Ok(new RunPageResponse([.. page.Items.Select(RunSummaryResponse.From)], page.NextCursor));
        }
        catch (FormatException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid cursor");
        }
    }

    private static async Task<Results<Ok<RunDetailResponse>, ProblemHttpResult>> GetAsync(Guid id, AgentRuns runs, TimeProvider time, CancellationToken ct) =>
        await runs.GetAsync(id, ct) is { } detail
            ? TypedResults.Ok(RunDetailResponse.From(detail, time.GetUtcNow()))
            : TypedResults.Problem($"No run {id}.", statusCode: StatusCodes.Status404NotFound, title: "Run not found");

    private static async Task<Results<Accepted<CommandResponse>, ProblemHttpResult>> CancelAsync(Guid id, AgentRuns runs, HttpContext http, CancellationToken ct) =>
        Command(await runs.CancelAsync(id, http.User.ActorName(), ct), $"/api/v1/runs/{id}");

    private static async Task<Results<Accepted<CommandResponse>, ProblemHttpResult>> RerunAsync(Guid id, AgentRuns runs, HttpContext http, CancellationToken ct)
    {
        var result = await runs.RerunAsync(id, http.User.ActorName(), ct);
        return result.Outcome == RunCommandOutcome.Invalid
            ? TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Input no longer valid")
            : Command(result, $"/api/v1/runs/{result.RunId}");
    }

    private static Results<Accepted<CommandResponse>, ProblemHttpResult> Command(RunCommandResult result, string? location) => result.Outcome switch
    {
        RunCommandOutcome.Done => TypedResults.Accepted(location, new CommandResponse(result.RunId, result.Message)),
        RunCommandOutcome.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
    };
}
