using System.Text;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Tools.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Knowledge;

/// <summary>
/// An agent's knowledge base over HTTP. Everyone signed in reads and searches it (as they read the agent); Owners and
/// Admins add and delete documents, which the knowledge base audits.
/// </summary>
public static class KnowledgeEndpoints
{
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/agents/{key}/knowledge")
            .WithTags("Knowledge")
            .RequireAuthorization(Policies.AnyRole);

        group.MapGet("/", ListAsync).WithName("ListKnowledge").WithSummary("List the documents in an agent's knowledge base");
        group.MapGet("/search", SearchAsync).WithName("SearchKnowledge")
            .WithSummary("The passages the agent's knowledge_search tool would get for q (words; \"quoted phrases\"), best first");
        group.MapPost("/", UploadAsync).WithName("UploadKnowledge")
            .WithSummary("Add a Markdown or text document: JSON {title, fileName, content} or multipart/form-data with a 'file' (and optional 'title') field")
            .RequireAuthorization(Policies.EditAgents);
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteKnowledge").WithSummary("Delete a document and its passages")
            .RequireAuthorization(Policies.EditAgents);
        return endpoints;
    }

    private static async Task<Results<Ok<KnowledgeDocumentView[]>, ProblemHttpResult>> ListAsync(
        string key, AgentCatalog catalog, KnowledgeBase knowledge, CancellationToken ct)
    {
        var agent = await catalog.FindAsync(key, ct);
        return agent is null ? AgentNotFound(key) : TypedResults.Ok((await knowledge.ListAsync(agent.Key, ct)).ToArray());
    }

    private static async Task<Results<Ok<KnowledgeSearchResult>, ProblemHttpResult>> SearchAsync(
        string key, string? q, int? limit, AgentCatalog catalog, KnowledgeBase knowledge, CancellationToken ct)
    {
        var agent = await catalog.FindAsync(key, ct);
        if (agent is null)
        {
            return AgentNotFound(key);
        }

        if (limit is < 1)
        {
            return TypedResults.Problem("limit must be at least 1.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid search");
        }

        try
        {
            return TypedResults.Ok(await knowledge.SearchAsync(agent.Key, q, limit, ct));
        }
        catch (KnowledgeQueryException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid search");
        }
    }

    private static async Task<Results<Created<KnowledgeUploadResponse>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        string key, HttpContext http, AgentCatalog catalog, KnowledgeBase knowledge, CancellationToken ct)
    {
        var agent = await catalog.FindAsync(key, ct);
        if (agent is null)
        {
            return AgentNotFound(key);
        }

        var (upload, invalid, problem) = http.Request.HasFormContentType
            ? await ReadFormAsync(http.Request, knowledge.Options, ct)
            : await ReadJsonAsync(http.Request, ct);
        if (invalid is not null)
        {
            return invalid;
        }

        if (problem is not null)
        {
            return problem;
        }

        var result = await knowledge.UploadAsync(agent.Key, upload!, http.User.ActorName(), ct);
        return result.Outcome switch
        {
            KnowledgeUploadOutcome.Saved => TypedResults.Created(
                $"/api/v1/agents/{agent.Key}/knowledge/{result.Document!.Id}", new KnowledgeUploadResponse(result.Document, result.Message!)),
            KnowledgeUploadOutcome.Invalid => TypedResults.ValidationProblem(result.Errors, title: result.Message),
            KnowledgeUploadOutcome.TooLarge => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Document too large"),
            KnowledgeUploadOutcome.Duplicate => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Duplicate document"),
            KnowledgeUploadOutcome.Full => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Knowledge base full"),
            _ => AgentNotFound(key),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string key, Guid id, AgentCatalog catalog, KnowledgeBase knowledge, HttpContext http, CancellationToken ct)
    {
        var agent = await catalog.FindAsync(key, ct);
        if (agent is null)
        {
            return AgentNotFound(key);
        }

        return await knowledge.DeleteAsync(agent.Key, id, http.User.ActorName(), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"Agent '{agent.Key}' has no knowledge document {id}.", statusCode: StatusCodes.Status404NotFound, title: "Document not found");
    }

    private static async Task<(KnowledgeUpload?, ValidationProblem?, ProblemHttpResult?)> ReadFormAsync(HttpRequest request, KnowledgeOptions options, CancellationToken ct)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return (null, null, TypedResults.Problem($"The multipart body could not be read: {ex.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Invalid upload"));
        }

        var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Attach the document as the form field 'file'."] }, title: "No file attached"), null);
        }

        if (file.Length > options.MaxDocumentBytes)
        {
            return (null, null, TypedResults.Problem($"'{file.FileName}' is {file.Length:N0} bytes; documents may be at most {options.MaxDocumentBytes:N0} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Document too large"));
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        return (new KnowledgeUpload(form["title"].ToString(), file.FileName, buffer.ToArray()), null, null);
    }

    private static async Task<(KnowledgeUpload?, ValidationProblem?, ProblemHttpResult?)> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            return (null, null, TypedResults.Problem("Send the document as JSON {title, fileName, content} or as multipart/form-data with a 'file' field.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type"));
        }

        KnowledgeUploadRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<KnowledgeUploadRequest>(ct);
        }
        catch (JsonException ex)
        {
            return (null, null, TypedResults.Problem($"The body is not valid JSON: {ex.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Invalid JSON"));
        }

        if (body?.Content is null)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["content"] = ["Send the document's text in 'content'."] }, title: "No content"), null);
        }

        return (new KnowledgeUpload(body.Title, body.FileName ?? "", Encoding.UTF8.GetBytes(body.Content)), null, null);
    }

    private static ProblemHttpResult AgentNotFound(string key) =>
        TypedResults.Problem($"No agent with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Agent not found");
}
