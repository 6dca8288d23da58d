using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace AgentConsole.Api;

/// <summary>
/// Turns bad requests (malformed JSON, oversized bodies) into precise problem+json answers and any other
/// failure of an API call into a 500 problem that names a trace id but leaks no internals.
/// Page requests fall through to the error page.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            var detail = bad.InnerException is JsonException json
                ? $"The request body is not valid JSON for this operation: {json.Message}"
                : bad.Message;
            LogBadRequest(logger, context.Request.Method, context.Request.Path.Value ?? "", bad.StatusCode, detail);
            var title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request";
            await Problems.WriteAsync(context, bad.StatusCode, title, detail);
            return true;
        }

        if (!Problems.IsApiRequest(context))
        {
            return false;
        }

        LogUnhandled(logger, exception, context.Request.Method, context.Request.Path.Value ?? "");
        await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "Unexpected error",
            $"The server could not complete the request. Quote trace id {context.TraceIdentifier} when reporting it.");
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected {Method} {Path} with {Status}: {Detail}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
