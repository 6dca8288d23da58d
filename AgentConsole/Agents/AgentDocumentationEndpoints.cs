using System.Text;
using AgentConsole.Access;
using AgentConsole.Engine.Agents.Documentation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Agents;

/// <summary><c>GET /api/v1/agents/{key}/documentation</c>: an agent's hand-over documentation as Markdown.</summary>
public static class AgentDocumentationEndpoints
{
    public const string MarkdownContentType = "text/markdown";

    public static IEndpointRouteBuilder MapAgentDocumentationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/agents/{key}/documentation", GetAsync)
            .WithTags("Agents")
            .WithName("GetAgentDocumentation")
            .WithSummary("An agent's documentation (scope, tools, decision tables, escalation logic, limits, prompt) as Markdown; download=true asks for a file")
            .Produces<string>(StatusCodes.Status200OK, MarkdownContentType)
            .RequireAuthorization(Policies.AnyRole);
        return endpoints;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAsync(
        string key, bool? download, AgentDocumentation documentation, HttpContext http, CancellationToken ct)
    {
        var document = await documentation.BuildAsync(key, ct);
        if (document is null)
        {
            return AgentEndpoints.NotFound(key);
        }

        if (download == true)
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{document.Key}-documentation.md\"";
        }

        return TypedResults.Text(AgentDocumentMarkdown.Render(document), MarkdownContentType, Encoding.UTF8);
    }
}
