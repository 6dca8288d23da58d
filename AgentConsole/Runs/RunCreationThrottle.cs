using System.Security.Claims;
using AgentConsole.Access;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Runs;

/// <summary>
/// Limits the runs one caller (an API key or a user) and one agent can be started with. The defaults sit far above
/// legitimate throughput; they stop a runaway script or a stolen key from flooding the queue.
/// </summary>
public static class RunCreationThrottle
{
    /// <summary>For POST /api/v1/agents/{key}/runs: the agent is in the route.</summary>
    public static RouteHandlerBuilder ThrottleRunsByRouteAgent(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var agent = context.HttpContext.Request.RouteValues["key"] as string ?? "";
            return await RefuseAsync(context.HttpContext, agent) ?? await next(context);
        });

    /// <summary>For POST /api/v1/runs/{id}/rerun: the agent is the original run's.</summary>
    public static RouteHandlerBuilder ThrottleRunsByRunAgent(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if (!Guid.TryParse(context.HttpContext.Request.RouteValues["id"] as string, out var id))
            {
                return await next(context);
            }

            var dbFactory = context.HttpContext.RequestServices.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>();
            await using var db = await dbFactory.CreateDbContextAsync(context.HttpContext.RequestAborted);
            // An unknown run goes through and gets its 404 from the handler.
            var agent = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => r.AgentKey).FirstOrDefaultAsync(context.HttpContext.RequestAborted);
            return (agent is null ? null : await RefuseAsync(context.HttpContext, agent)) ?? await next(context);
        });

    /// <summary>
    /// For runs started in the console (Run now, Re-run): the same budgets as the API, so a signed-in user cannot
    /// flood the queue from a circuit either. Null when the run may start; otherwise the refusal to show.
    /// </summary>
    public static RunCommandResult? RefuseInConsole(this RequestThrottle throttle, ClaimsPrincipal user, string agent)
    {
        var result = throttle.AcquireRun(RequestThrottle.CallerKey(user), agent);
        return result.Allowed
            ? null
            : RunCommandResult.Conflict($"Too many runs started by you or on agent '{agent}'; try again in {RequestThrottle.RetryAfterHeader(result.RetryAfter)} seconds.");
    }

    private static async Task<object?> RefuseAsync(HttpContext http, string agent)
    {
        var result = http.RequestServices.GetRequiredService<RequestThrottle>().AcquireRun(RequestThrottle.CallerKey(http.User), agent);
        if (result.Allowed)
        {
            return null;
        }

        await RequestThrottle.WriteTooManyRequestsAsync(http, result,
            $"Too many runs started by this caller or on agent '{agent}'; wait before starting more.");
        return Results.Empty;
    }
}
