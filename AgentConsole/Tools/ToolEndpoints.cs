using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Agents;
using AgentConsole.Api;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tools;

/// <summary>The tool catalogue, an agent's grants and (for Admins) the connections tools use.</summary>
public static class ToolEndpoints
{
    public static IEndpointRouteBuilder MapToolEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/tools", ListToolsAsync)
            .WithTags("Tools").WithName("ListTools")
            .WithSummary("Every registered tool with its declared access, reach, reversibility, cost to undo, connector and connection mode")
            .RequireAuthorization(Policies.AnyRole);

        endpoints.MapPut("/api/v1/agents/{key}/tools", SetGrantsAsync)
            .WithTags("Agents").WithName("SetAgentTools")
            .WithSummary("Replace an agent's tool grants with [{\"key\": \"…\", \"scope\": \"read|write\"}]; send If-Match with the revision you edited")
            .RequireAuthorization(Policies.EditAgents);

        var connections = endpoints.MapGroup("/api/v1/connections")
            .WithTags("Connections")
            .RequireAuthorization(Policies.Admin);
        connections.MapGet("/", ListConnectionsAsync).WithName("ListConnections")
            .WithSummary("Every connection with its mode and settings; secrets are named (secretsSet), never returned");
        connections.MapGet("/{key}", GetConnectionAsync).WithName("GetConnection")
            .WithSummary("One connection; the ETag is its revision");
        connections.MapPut("/{key}", UpdateConnectionAsync).WithName("UpdateConnection")
            .WithSummary("Change a connection's mode, settings, secrets (write-only) or simulated failure; omitted fields keep their value");
        return endpoints;
    }

    private static async Task<Ok<ToolResponse[]>> ListToolsAsync(ToolRegistry registry, ConnectionStore store, IOptions<RunOptions> runs, CancellationToken ct)
    {
        var modes = (await store.ListAsync(ct)).ToDictionary(c => c.Key, c => c.Mode, StringComparer.Ordinal);
        return TypedResults.Ok(registry.All
            .Select(t => ToolResponse.From(t, modes.TryGetValue(t.Connection, out var mode) ? mode : null, runs.Value.ApprovalThresholdUsd))
            .ToArray());
    }

    private static async Task<Results<Ok<AgentResponse>, ValidationProblem, ProblemHttpResult>> SetGrantsAsync(
        string key, JsonElement body, AgentCatalog catalog, ToolRegistry registry, IOptions<RunOptions> runs, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "agent", out var expected, out var badHeader))
        {
            return badHeader!;
        }

        if (body.ValueKind != JsonValueKind.Array)
        {
            return TypedResults.Problem("The body is a JSON array of grants such as [{\"key\": \"crm_lookup\", \"scope\": \"read\"}].",
                statusCode: StatusCodes.Status400BadRequest, title: "Grants must be an array");
        }

        var grants = new List<ToolGrant>();
        var errors = new Dictionary<string, string[]>();
        var index = 0;
        foreach (var item in body.EnumerateArray())
        {
            try
            {
                grants.Add(item.Deserialize<ToolGrant>() ?? throw new JsonException("A grant is an object with 'key' and 'scope', not null."));
            }
            catch (JsonException ex)
            {
                // The converter's message names what is wrong (scope, key type); keyed like the catalog's own errors.
                errors[ex.Message.StartsWith("A tool grant's 'scope'", StringComparison.Ordinal) ? $"tools[{index}].scope" : $"tools[{index}]"] = [ex.Message];
                grants.Add(new ToolGrant());
            }

            index++;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The tool grants are not valid.");
        }

        var result = await catalog.SetToolsAsync(key, grants, expected, http.User.ActorName(), ct);
        return AgentEndpoints.Updated(key, result, http, registry, runs.Value.ApprovalThresholdUsd);
    }

    private static async Task<Ok<ConnectionView[]>> ListConnectionsAsync(ConnectionStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).ToArray());

    private static async Task<Results<Ok<ConnectionView>, ProblemHttpResult>> GetConnectionAsync(string key, ConnectionStore store, HttpContext http, CancellationToken ct)
    {
        if (await store.FindAsync(key, ct) is not { } connection)
        {
            return ConnectionNotFound(key);
        }

        http.Response.Headers.ETag = IfMatch.ETagOf(connection.Revision);
        return TypedResults.Ok(connection);
    }

    private static async Task<Results<Ok<ConnectionView>, ValidationProblem, ProblemHttpResult>> UpdateConnectionAsync(
        string key, ConnectionUpdateRequest request, ConnectionStore store, HttpContext http, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http.Request, "connection", out var expected, out var badHeader))
        {
            return badHeader!;
        }

        if (await store.FindAsync(key, ct) is not { } current)
        {
            return ConnectionNotFound(key);
        }

        var mode = request.Mode ?? current.Mode;
        var failure = request.SimulatedFailure ?? (mode == ConnectionMode.Live ? SimulatedFailure.None : current.SimulatedFailure);
        if (mode == ConnectionMode.Live && failure != SimulatedFailure.None)
        {
            // The store ignores it live; refusing says so instead of storing a switch that does nothing.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["simulatedFailure"] = ["A simulated failure applies to sandbox connections only; set it to None for a live connection."] },
                title: "The connection settings are not valid.");
        }

        var secrets = request.Secrets?.ToDictionary(s => s.Key, s => s.Value ?? "", StringComparer.Ordinal);
        var update = new ConnectionUpdate(mode, request.Settings ?? current.Settings, secrets, failure, expected);
        var result = await store.UpdateAsync(key, update, http.User.ActorName(), ct);
        switch (result.Outcome)
        {
            case ConnectionSaveOutcome.Saved:
                http.Response.Headers.ETag = IfMatch.ETagOf(result.Connection!.Revision);
                return TypedResults.Ok(result.Connection);
            case ConnectionSaveOutcome.Invalid:
                return TypedResults.ValidationProblem(result.Errors, title: result.Message);
            case ConnectionSaveOutcome.NotFound:
                return ConnectionNotFound(key);
            default:
                return TypedResults.Problem(result.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Edit conflict");
        }
    }

    private static ProblemHttpResult ConnectionNotFound(string key) =>
        TypedResults.Problem($"No connection '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Connection not found");
}
