using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace AgentConsole.Api;

/// <summary>
/// Optimistic concurrency over HTTP: a resource's ETag is its revision, and a PUT that sends If-Match with the revision
/// it edited is refused when someone saved in between.
/// </summary>
public static class IfMatch
{
    /// <summary>
    /// The revision an If-Match header names: null when absent or "*", a 400 problem when it is not a revision ETag.
    /// </summary>
    public static bool TryRead(HttpRequest request, string resource, out int? revision, out ProblemHttpResult? problem)
    {
        revision = null;
        problem = null;
        var header = request.Headers.IfMatch.ToString();
        if (header.Length == 0 || header == "*")
        {
            return true;
        }

        if (!EntityTagHeaderValue.TryParse(header, out var tag)
            || !int.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = TypedResults.Problem($"If-Match must be the {resource}'s ETag, such as \"3\"; got {header}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid If-Match header");
            return false;
        }

        revision = parsed;
        return true;
    }

    public static string ETagOf(int revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";
}
