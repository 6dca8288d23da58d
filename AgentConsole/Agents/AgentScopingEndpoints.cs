using AgentConsole.Access;
using AgentConsole.Api;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Agents.Scoping;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Agents;

/// <summary>
/// <c>GET/PUT /api/v1/agents/{key}/scoping</c> (the manual baseline and the pilot start; Owners and Admins edit) and
/// <c>GET /api/v1/agents/{key}/scorecard</c> (the baseline and the 30-day pilot scorecard with its verdict).
/// </summary>
public static class AgentScopingEndpoints
{
    public static IEndpointRouteBuilder MapAgentScopingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/agents/{key}")
            .WithTags("Agents")
            .RequireAuthorization(Policies.AnyRole);

        group.MapGet("/scoping", GetScopingAsync).WithName("GetAgentScoping").WithSummary("An agent's scoping data and manual baseline; the ETag is its revision");
        group.MapPut("/scoping", PutScopingAsync).WithName("UpdateAgentScoping")
            .WithSummary("Record an agent's scoping data; send If-Match with the revision you edited (\"0\" before the first save) to avoid lost updates")
            .RequireAuthorization(Policies.EditAgents);
        group.MapGet("/scorecard", GetScorecardAsync).WithName("GetAgentScorecard").WithSummary("An agent's 30-day pilot scorecard against its manual baseline, with the verdict and its reasons");
        return endpoints;
    }

    private static async Task<Results<Ok<ScopingResponse>, ProblemHttpResult>> GetScopingAsync(
        string key, AgentCatalog agents, AgentScopings scopings, HttpContext http, CancellationToken ct)
    {
        if (await agents.FindAsync(key, ct) is not { } agent)
        {
            return AgentEndpoints.NotFound(key);
        }

        var scoping = await scopings.FindAsync(agent.Key, ct);
        http.Response.Headers.ETag = IfMatch.ETagOf(scoping?.Revision ?? 0);
        return TypedResults.Ok(ScopingResponse.From(agent.Key, scoping));
    }

    private static async Task<Results<Ok<ScopingResponse>, ValidationProblem, ProblemHttpResult>> PutScopingAsync(
        string key, ScopingDraft draft, AgentScopings scopings, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "scoping", out var expected, out var badHeader))
        {
            return badHeader!;
        }

        var result = await scopings.SaveAsync(key, draft, expected, http.User.ActorName(), ct);
        switch (result.Outcome)
        {
            case AgentSaveOutcome.Saved:
                http.Response.Headers.ETag = IfMatch.ETagOf(result.Scoping!.Revision);
                return TypedResults.Ok(ScopingResponse.From(result.Scoping.AgentKey, result.Scoping));
            case AgentSaveOutcome.Invalid:
                return TypedResults.ValidationProblem(result.Errors, title: result.Message);
            case AgentSaveOutcome.NotFound:
                return AgentEndpoints.NotFound(key);
            default:
                return TypedResults.Problem(result.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Edit conflict");
        }
    }

    private static async Task<Results<Ok<AgentScorecard>, ProblemHttpResult>> GetScorecardAsync(string key, AgentScorecards scorecards, CancellationToken ct) =>
        await scorecards.BuildAsync(key, ct) is { } card ? TypedResults.Ok(card) : AgentEndpoints.NotFound(key);
}
