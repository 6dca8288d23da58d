using AgentConsole.Access;
using AgentConsole.Api;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using AgentConsole.Tools;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentConsole.Agents;

/// <summary>The agent resource as the API returns it; <c>toolPolicy</c> says, per grant, whether a call waits for approval and why.</summary>
public sealed record AgentResponse(
    string Key,
    string Name,
    string Purpose,
    AgentStatus Status,
    AutonomyLevel AutonomyLevel,
    int MaxSteps,
    decimal BudgetPerRunUsd,
    int WallClockLimitSeconds,
    string? Model,
    IReadOnlyList<AgentInputField> InputFields,
    IReadOnlyList<ToolGrant> Tools,
    IReadOnlyList<ToolPolicyResponse> ToolPolicy,
    IReadOnlyList<EngineRoute> EngineRoutes,
    IReadOnlyList<AgentRedactionPattern> RedactionPatterns,
    int Revision,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    double PublishThreshold)
{
    public static AgentResponse From(Agent a, ToolRegistry registry, decimal approvalThresholdUsd) => new(
        a.Key, a.Name, a.Purpose, a.Status, a.AutonomyLevel, a.MaxSteps, a.BudgetPerRunUsd, a.WallClockLimitSeconds,
        a.Model, a.InputFields, a.Tools, ToolPolicyResponse.For(a, registry, approvalThresholdUsd), a.EngineRoutes, a.RedactionPatterns, a.Revision, a.CreatedAt, a.CreatedBy, a.UpdatedAt, a.UpdatedBy,
        a.PublishThreshold);
}

public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/agents")
            .WithTags("Agents")
            .RequireAuthorization(Policies.AnyRole);

        group.MapGet("/", ListAsync).WithName("ListAgents").WithSummary("List agent definitions");
        group.MapGet("/{key}", GetAsync).WithName("GetAgent").WithSummary("Get one agent; the ETag is its revision");
        group.MapPost("/", CreateAsync).WithName("CreateAgent").WithSummary("Create an agent")
            .RequireAuthorization(Policies.EditAgents);
        group.MapPut("/{key}", UpdateAsync).WithName("UpdateAgent")
            .WithSummary("Replace an agent's definition; send If-Match with the revision you edited to avoid lost updates")
            .RequireAuthorization(Policies.EditAgents);
        return endpoints;
    }

    private static async Task<Ok<AgentResponse[]>> ListAsync(AgentCatalog catalog, ToolRegistry registry, IOptions<RunOptions> runs, CancellationToken ct) =>
        TypedResults.Ok((await catalog.ListAsync(ct)).Select(a => AgentResponse.From(a, registry, runs.Value.ApprovalThresholdUsd)).ToArray());

    private static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAsync(
        string key, AgentCatalog catalog, ToolRegistry registry, IOptions<RunOptions> runs, HttpContext http, CancellationToken ct)
    {
        var agent = await catalog.FindAsync(key, ct);
        if (agent is null)
        {
            return NotFound(key);
        }

        http.Response.Headers.ETag = ETagOf(agent.Revision);
        return TypedResults.Ok(AgentResponse.From(agent, registry, runs.Value.ApprovalThresholdUsd));
    }

    private static async Task<Results<Created<AgentResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        AgentDefinition definition, AgentCatalog catalog, ToolRegistry registry, IOptions<RunOptions> runs, HttpContext http, CancellationToken ct)
    {
        var result = await catalog.CreateAsync(definition, http.User.ActorName(), ct);
        return result.Outcome switch
        {
            AgentSaveOutcome.Saved => Created(http, AgentResponse.From(result.Agent!, registry, runs.Value.ApprovalThresholdUsd)),
            AgentSaveOutcome.Invalid => TypedResults.ValidationProblem(result.Errors, title: result.Message),
            _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Duplicate key"),
        };
    }

    private static async Task<Results<Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string key, AgentDefinition definition, AgentCatalog catalog, ToolRegistry registry, IOptions<RunOptions> runs, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "agent", out var expected, out var badHeader))
        {
            return badHeader!;
        }

        var result = await catalog.UpdateAsync(key, definition, expected, http.User.ActorName(), ct);
        return Updated(key, result, http, registry, runs.Value.ApprovalThresholdUsd);
    }

    /// <summary>The answer to any save of an existing agent (its definition or its grants).</summary>
    internal static Results<Ok<AgentResponse>, ValidationProblem, ProblemHttpResult> Updated(
        string key, AgentSaveResult result, HttpContext http, ToolRegistry registry, decimal approvalThresholdUsd)
    {
        switch (result.Outcome)
        {
            case AgentSaveOutcome.Saved:
                http.Response.Headers.ETag = ETagOf(result.Agent!.Revision);
                return TypedResults.Ok(AgentResponse.From(result.Agent, registry, approvalThresholdUsd));
            case AgentSaveOutcome.Invalid:
                return TypedResults.ValidationProblem(result.Errors, title: result.Message);
            case AgentSaveOutcome.NotFound:
                return NotFound(key);
            default:
                return TypedResults.Problem(result.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Edit conflict");
        }
    }

    private static Created<AgentResponse> Created(HttpContext http, AgentResponse agent)
    {
        http.Response.Headers.ETag = ETagOf(agent.Revision);
        return TypedResults.Created($"/api/v1/agents/{agent.Key}", agent);
    }

    internal static ProblemHttpResult NotFound(string key) =>
        TypedResults.Problem($"No agent with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Agent not found");

    private static string ETagOf(int revision) => IfMatch.ETagOf(revision);
}
