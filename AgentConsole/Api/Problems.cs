namespace AgentConsole.Api;

/// <summary>Writes RFC 9457 problem+json bodies for responses produced outside endpoint handlers.</summary>
public static class Problems
{
    public static bool IsApiRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        // Not IProblemDetailsService.WriteAsync: it throws when the Accept header rules out JSON, turning a 401 into
        // a 500. The result uses the service when it can and otherwise still writes problem+json.
        await TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(context);
    }
}
