using AgentConsole.Access;
using AgentConsole.Api;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Prompts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Prompts;

/// <summary>
/// Prompt versions over HTTP: list, create, read, save a draft, lint, publish through the gate (an Admin may override
/// with a written reason), roll back, discard and diff. Owners and Admins edit; Managers read.
/// </summary>
public static class PromptEndpoints
{
    public static IEndpointRouteBuilder MapPromptEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var byAgent = endpoints.MapGroup("/api/v1/agents/{key}/prompts").WithTags("Prompts").RequireAuthorization(Policies.ReadPrompts);
        byAgent.MapGet("/", ListAsync).WithName("ListPromptVersions").WithSummary("The agent's prompt versions, newest first, with status and lint summary");
        byAgent.MapPost("/", CreateAsync).WithName("CreatePromptDraft").RequireAuthorization(Policies.Prompts)
            .WithSummary("A new draft from {\"sections\": {...}} or a copy of {\"from\": N}; 201 with the draft");
        byAgent.MapGet("/diff", DiffAsync).WithName("DiffPromptVersions").WithSummary("Line diff per section between ?from=N and ?to=M");

        var versions = endpoints.MapGroup("/api/v1/prompts").WithTags("Prompts").RequireAuthorization(Policies.ReadPrompts);
        versions.MapGet("/{id:guid}", GetAsync).WithName("GetPromptVersion").WithSummary("One version with its sections, rendered text and full lint");
        versions.MapPut("/{id:guid}", SaveAsync).WithName("SavePromptDraft").RequireAuthorization(Policies.Prompts)
            .WithSummary("Save a draft; send the revision you edited (body or If-Match). 409 when stale or not a draft");
        versions.MapGet("/{id:guid}/lint", LintAsync).WithName("LintPromptVersion").WithSummary("The version's lint findings and summary");
        versions.MapPost("/{id:guid}/publish", PublishAsync).WithName("PublishPromptVersion").RequireAuthorization(Policies.Prompts)
            .WithSummary("Publish a draft once an evaluation of it meets the agent's threshold; 409 naming the evaluation otherwise. An Admin may send {\"overrideReason\": \"...\"}");
        versions.MapPost("/{id:guid}/rollback", RollbackAsync).WithName("RollbackPromptVersion").RequireAuthorization(Policies.Prompts)
            .WithSummary("Publish again a retired version that was live before");
        versions.MapPost("/{id:guid}/discard", DiscardAsync).WithName("DiscardPromptDraft").RequireAuthorization(Policies.Prompts)
            .WithSummary("Retire a draft without publishing it");
        return endpoints;
    }

    private static async Task<Results<Ok<PromptVersionResponse[]>, ProblemHttpResult>> ListAsync(string key, PromptCatalog catalog, CancellationToken ct) =>
        await catalog.ListAsync(key, ct) is { } list ? TypedResults.Ok(list.Select(PromptVersionResponse.From).ToArray()) : AgentNotFound(key);

    private static async Task<IResult> CreateAsync(
        string key, CreatePromptRequest? request, PromptCatalog catalog, AgentCatalog agents, HttpContext http, CancellationToken ct)
    {
        if (request is null || (request.Sections is null && request.From is null))
        {
            return TypedResults.ValidationProblem(PromptCatalog.Validate(null), title: "Invalid prompt");
        }

        var result = await catalog.CreateDraftAsync(key, request.Sections, request.From, request.Note, http.User.ActorName(), ct);
        if (!result.Succeeded)
        {
            return Failure(result, key);
        }

        var detail = await DetailAsync(result.Version!, catalog, agents, ct);
        http.Response.Headers.ETag = IfMatch.ETagOf(result.Version!.Revision);
        return TypedResults.Created($"/api/v1/prompts/{result.Version.Id}", detail);
    }

    private static async Task<Results<Ok<PromptVersionDetailResponse>, ProblemHttpResult>> GetAsync(
        Guid id, PromptCatalog catalog, AgentCatalog agents, HttpContext http, CancellationToken ct)
    {
        var version = await catalog.GetAsync(id, ct);
        if (version is null)
        {
            return VersionNotFound(id);
        }

        http.Response.Headers.ETag = IfMatch.ETagOf(version.Revision);
        return TypedResults.Ok(await DetailAsync(version, catalog, agents, ct));
    }

    private static async Task<IResult> SaveAsync(
        Guid id, SavePromptRequest? request, PromptCatalog catalog, AgentCatalog agents, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "prompt version", out var ifMatch, out var badHeader))
        {
            return badHeader!;
        }

        if (request?.Sections is null)
        {
            return TypedResults.ValidationProblem(PromptCatalog.Validate(null), title: "Invalid prompt");
        }

        var result = await catalog.SaveDraftAsync(id, request.Sections, request.Revision ?? ifMatch, request.Note, http.User.ActorName(), ct);
        if (!result.Succeeded)
        {
            return Failure(result, null, id);
        }

        http.Response.Headers.ETag = IfMatch.ETagOf(result.Version!.Revision);
        return TypedResults.Ok(await DetailAsync(result.Version, catalog, agents, ct));
    }

    private static async Task<Results<Ok<LintReport>, ProblemHttpResult>> LintAsync(Guid id, PromptCatalog catalog, AgentCatalog agents, CancellationToken ct)
    {
        var version = await catalog.GetAsync(id, ct);
        if (version is null)
        {
            return VersionNotFound(id);
        }

        var agent = await agents.FindAsync(version.AgentKey, ct);
        return agent is null ? AgentNotFound(version.AgentKey) : TypedResults.Ok(catalog.Lint(agent, version.Sections));
    }

    private static async Task<IResult> PublishAsync(
        Guid id, PublishPromptRequest? request, PromptCatalog catalog, AgentCatalog agents, HttpContext http, CancellationToken ct)
    {
        var result = await catalog.PublishAsync(id, http.User.ActorName(), http.User.IsInRole(Roles.Admin), request?.OverrideReason, ct);
        return result.Succeeded ? TypedResults.Ok(await DetailAsync(result.Version!, catalog, agents, ct)) : Failure(result, null, id);
    }

    private static async Task<IResult> RollbackAsync(
        Guid id, PromptCatalog catalog, AgentCatalog agents, HttpContext http, CancellationToken ct)
    {
        var result = await catalog.RollbackAsync(id, http.User.ActorName(), ct);
        return result.Succeeded ? TypedResults.Ok(await DetailAsync(result.Version!, catalog, agents, ct)) : Failure(result, null, id);
    }

    private static async Task<IResult> DiscardAsync(
        Guid id, PromptCatalog catalog, AgentCatalog agents, HttpContext http, CancellationToken ct)
    {
        var result = await catalog.RetireDraftAsync(id, http.User.ActorName(), ct);
        return result.Succeeded ? TypedResults.Ok(await DetailAsync(result.Version!, catalog, agents, ct)) : Failure(result, null, id);
    }

    private static async Task<Results<Ok<PromptDiffResponse>, ProblemHttpResult>> DiffAsync(
        string key, int? from, int? to, PromptCatalog catalog, CancellationToken ct)
    {
        if (from is not > 0 || to is not > 0)
        {
            return TypedResults.Problem("Name the two versions to compare: ?from=N&to=M (version numbers, 1 or more).",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid versions");
        }

        if (await catalog.ListAsync(key, ct) is null)
        {
            return AgentNotFound(key);
        }

        var diff = await catalog.DiffAsync(key, from.Value, to.Value, ct);
        return diff is null
            ? TypedResults.Problem($"'{key}' has no prompt v{from} or no v{to}.", statusCode: StatusCodes.Status404NotFound, title: "Version not found")
            : TypedResults.Ok(new PromptDiffResponse(key.Trim().ToLowerInvariant(), from.Value, to.Value, diff));
    }

    private static async Task<PromptVersionDetailResponse> DetailAsync(PromptVersion version, PromptCatalog catalog, AgentCatalog agents, CancellationToken ct)
    {
        // The agent exists: versions are created for known agents only and agents are not deleted.
        var agent = await agents.FindAsync(version.AgentKey, ct) ?? new Agent { Key = version.AgentKey, Name = version.AgentKey };
        return PromptVersionDetailResponse.From(version, SystemPrompts.For(agent, version), catalog.Lint(agent, version.Sections));
    }

    /// <summary>A failed change as the API answers it: invalid sections as a validation problem, the rest as problem+json.</summary>
    private static IResult Failure(PromptChangeResult result, string? agentKey, Guid? id = null) =>
        result.Outcome == PromptChangeOutcome.Invalid
            ? TypedResults.ValidationProblem(result.Errors, title: "Invalid prompt")
            : Problem(result, agentKey, id);

    private static ProblemHttpResult Problem(PromptChangeResult result, string? agentKey, Guid? id) => result.Outcome switch
    {
        PromptChangeOutcome.NotFound => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status404NotFound,
            title: id is null ? "Agent not found" : "Prompt version not found"),
        PromptChangeOutcome.GateRefused => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Publish gate not met",
            extensions: new Dictionary<string, object?>
            {
                ["evaluationId"] = result.Gate?.EvaluationId,
                ["passRate"] = result.Gate?.PassRate,
                ["threshold"] = result.Gate?.Threshold,
                ["version"] = result.Version?.Number,
            }),
        PromptChangeOutcome.Forbidden => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status403Forbidden, title: "Admin override required"),
        _ => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict,
            title: agentKey is null ? "Prompt version conflict" : "Prompt conflict"),
    };

    private static ProblemHttpResult AgentNotFound(string key) =>
        TypedResults.Problem($"No agent with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Agent not found");

    private static ProblemHttpResult VersionNotFound(Guid id) =>
        TypedResults.Problem($"No prompt version with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Prompt version not found");
}
