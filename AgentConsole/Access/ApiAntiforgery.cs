using AgentConsole.Api;
using Microsoft.AspNetCore.Antiforgery;

namespace AgentConsole.Access;

/// <summary>
/// A browser attaches the session cookie to any request, including one a hostile page makes, so a cookie-authenticated
/// call that changes something must also carry an antiforgery token in a header (which a cross-site page cannot read
/// or set). A bearer API key is no ambient credential and needs none.
/// </summary>
public static class ApiAntiforgery
{
    public const string HeaderName = "X-XSRF-TOKEN";

    /// <summary>Runs after authorization, so only calls that would otherwise be carried out are checked.</summary>
    public static async Task RequireTokenForCookieCallsAsync(HttpContext context, Func<Task> next)
    {
        if (IsSafe(context.Request.Method)
            || ApiKeyAuthenticationHandler.TryReadBearer(context.Request, out _)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next();
            return;
        }

        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Antiforgery token required",
                $"A signed-in browser session must send the token from GET /api/v1/session/antiforgery in the '{HeaderName}' header " +
                "for POST, PUT, PATCH and DELETE; scripts should use an API key ('Authorization: Bearer <key>') instead.");
            return;
        }

        await next();
    }

    /// <summary>GET /api/v1/session/antiforgery: the token a cookie session sends back in <see cref="HeaderName"/>.</summary>
    public static IEndpointRouteBuilder MapAntiforgeryTokenEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/session/antiforgery", (IAntiforgery antiforgery, HttpContext http) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(http);
                return TypedResults.Ok(new AntiforgeryTokenResponse(HeaderName, tokens.RequestToken!));
            })
            .WithTags("Session").WithName("GetAntiforgeryToken")
            .WithSummary("For cookie sessions only: the token to send in X-XSRF-TOKEN on POST/PUT/PATCH/DELETE")
            .RequireAuthorization(Policies.AnyRole);
        return endpoints;
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
