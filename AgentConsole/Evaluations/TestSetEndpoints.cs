using AgentConsole.Access;
using AgentConsole.Engine.Evaluations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Evaluations;

/// <summary>
/// Test sets over HTTP: an agent's sets, a set with a page of its cases, case edits, CSV / JSON Lines import and export,
/// and a case drafted from a run. Owners and Admins edit; Managers read; Reviewers get 403.
/// </summary>
public static class TestSetEndpoints
{
    /// <summary>Who reads test sets: the editors and the Managers who watch agents' quality (the monitoring roles).</summary>
    public const string ReadPolicy = Policies.Monitoring;

    public const string EditPolicy = Policies.Configure;

    public static IEndpointRouteBuilder MapTestSetEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var agents = endpoints.MapGroup("/api/v1/agents/{key}/test-sets").WithTags("Test sets").RequireAuthorization(ReadPolicy);
        agents.MapGet("/", ListAsync).WithName("ListTestSets").WithSummary("The agent's test sets with their case counts, the default first");
        agents.MapPost("/", CreateAsync).WithName("CreateTestSet").WithSummary("Add a test set; an agent's first set becomes its default")
            .RequireAuthorization(EditPolicy);

        var sets = endpoints.MapGroup("/api/v1/test-sets").WithTags("Test sets").RequireAuthorization(ReadPolicy);
        sets.MapGet("/{id:guid}", GetAsync).WithName("GetTestSet")
            .WithSummary("A test set with one page of its cases in order: kind=Synthetic|Edge|Adversarial|Historical, offset, limit");
        sets.MapPut("/{id:guid}", RenameAsync).WithName("RenameTestSet").WithSummary("Rename a test set or change its description").RequireAuthorization(EditPolicy);
        sets.MapPost("/{id:guid}/default", MakeDefaultAsync).WithName("MakeDefaultTestSet")
            .WithSummary("Make the set the agent's default (what evaluations use when no set is named)").RequireAuthorization(EditPolicy);
        sets.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteTestSet")
            .WithSummary("Delete a set and its cases; 409 for the default set while the agent has others").RequireAuthorization(EditPolicy);
        sets.MapPost("/{id:guid}/cases", AddCaseAsync).WithName("AddTestCase").WithSummary("Add a case; 400 lists the errors by field (case.x)")
            .RequireAuthorization(EditPolicy);
        sets.MapGet("/{id:guid}/cases/{caseId:guid}", GetCaseAsync).WithName("GetTestCase").WithSummary("One case");
        sets.MapPut("/{id:guid}/cases/{caseId:guid}", UpdateCaseAsync).WithName("UpdateTestCase").WithSummary("Replace a case").RequireAuthorization(EditPolicy);
        sets.MapDelete("/{id:guid}/cases/{caseId:guid}", DeleteCaseAsync).WithName("DeleteTestCase").WithSummary("Delete a case").RequireAuthorization(EditPolicy);
        sets.MapPost("/{id:guid}/import", ImportAsync).WithName("ImportTestCases")
            .WithSummary("The body is a CSV (format=csv) or JSON Lines (format=jsonl) file, one case per line; all or nothing, 400 lists the errors by line; a case whose name exists is updated")
            .RequireAuthorization(EditPolicy);
        sets.MapGet("/{id:guid}/export", ExportAsync).WithName("ExportTestCases").WithSummary("The set's cases as a CSV (format=csv) or JSON Lines (format=jsonl) download");

        endpoints.MapGet("/api/v1/runs/{id:guid}/test-case", DraftFromRunAsync).WithTags("Test sets").WithName("DraftTestCaseFromRun")
            .WithSummary("A case prefilled from the run (its input, decision results or the reviewer's choice, escalation, tools called), to edit and add to a set; 409 once its input was purged")
            .RequireAuthorization(EditPolicy);
        return endpoints;
    }

    private static async Task<Results<Ok<TestSetResponse[]>, ProblemHttpResult>> ListAsync(string key, TestSets testSets, CancellationToken ct) =>
        await testSets.ListAsync(key, ct) is { } sets ? TypedResults.Ok(sets.Select(TestSetResponse.From).ToArray()) : AgentNotFound(key);

    private static async Task<Results<Created<TestSetResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        string key, TestSetRequest request, TestSets testSets, HttpContext http, CancellationToken ct)
    {
        var change = await testSets.CreateAsync(key, request.Name, request.Description, http.User.ActorName(), ct);
        return change.Outcome switch
        {
            TestSetChangeOutcome.Done => TypedResults.Created($"/api/v1/test-sets/{change.Set!.Id}", TestSetResponse.From((await testSets.FindAsync(change.Set.Id, ct))!)),
            TestSetChangeOutcome.Invalid => Invalid(change, "Invalid test set"),
            _ => AgentNotFound(key),
        };
    }

    private static async Task<Results<Ok<TestSetDetailResponse>, ProblemHttpResult>> GetAsync(
        Guid id, string? kind, int? offset, int? limit, TestSets testSets, CancellationToken ct)
    {
        TestCaseKind? parsed = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Enum.TryParse<TestCaseKind>(kind.Trim(), ignoreCase: true, out var k) || !Enum.IsDefined(k) || int.TryParse(kind, out _))
            {
                return Bad($"kind is one of {string.Join(", ", Enum.GetNames<TestCaseKind>())}; got '{kind}'.", "Invalid kind");
            }

            parsed = k;
        }

        if (offset < 0 || limit is < 1 or > 500)
        {
            return Bad("offset is 0 or more; limit is between 1 and 500.", "Invalid page");
        }

        var set = await testSets.FindAsync(id, ct);
        var page = set is null ? null : await testSets.ListCasesAsync(id, parsed, offset ?? 0, limit, ct);
        return set is null || page is null
            ? SetNotFound(id)
            : TypedResults.Ok(new TestSetDetailResponse(TestSetResponse.From(set), [.. page.Items.Select(TestCaseResponse.From)], page.Total, page.Offset, page.Limit));
    }

    private static async Task<Results<Ok<TestSetResponse>, ValidationProblem, ProblemHttpResult>> RenameAsync(
        Guid id, TestSetRequest request, TestSets testSets, HttpContext http, CancellationToken ct) =>
        await SetResultAsync(await testSets.RenameAsync(id, request.Name, request.Description, http.User.ActorName(), ct), id, testSets, ct);

    private static async Task<Results<Ok<TestSetResponse>, ValidationProblem, ProblemHttpResult>> MakeDefaultAsync(
        Guid id, TestSets testSets, HttpContext http, CancellationToken ct) =>
        await SetResultAsync(await testSets.MakeDefaultAsync(id, http.User.ActorName(), ct), id, testSets, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, TestSets testSets, HttpContext http, CancellationToken ct)
    {
        var change = await testSets.DeleteAsync(id, http.User.ActorName(), ct);
        return change.Outcome switch
        {
            TestSetChangeOutcome.Done => TypedResults.NoContent(),
            TestSetChangeOutcome.Conflict => TypedResults.Problem(change.Message, statusCode: StatusCodes.Status409Conflict, title: "The default test set stays"),
            _ => SetNotFound(id),
        };
    }

    private static async Task<Results<Created<TestCaseResponse>, ValidationProblem, ProblemHttpResult>> AddCaseAsync(
        Guid id, TestCaseRequest request, TestSets testSets, HttpContext http, CancellationToken ct)
    {
        var edit = request.ToEdit(out var kindError);
        if (kindError is not null)
        {
            return KindInvalid(kindError);
        }

        var change = await testSets.AddCaseAsync(id, edit, http.User.ActorName(), ct);
        return change.Outcome switch
        {
            TestSetChangeOutcome.Done => TypedResults.Created($"/api/v1/test-sets/{id}/cases/{change.Case!.Id}", TestCaseResponse.From(change.Case)),
            TestSetChangeOutcome.Invalid => Invalid(change, "Invalid test case"),
            _ => TypedResults.Problem(change.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        };
    }

    private static async Task<Results<Ok<TestCaseResponse>, ProblemHttpResult>> GetCaseAsync(Guid id, Guid caseId, TestSets testSets, CancellationToken ct) =>
        await testSets.FindCaseAsync(id, caseId, ct) is { } found
            ? TypedResults.Ok(TestCaseResponse.From(found))
            : TypedResults.Problem($"No test case {caseId} in test set {id}.", statusCode: StatusCodes.Status404NotFound, title: "Test case not found");

    private static async Task<Results<Ok<TestCaseResponse>, ValidationProblem, ProblemHttpResult>> UpdateCaseAsync(
        Guid id, Guid caseId, TestCaseRequest request, TestSets testSets, HttpContext http, CancellationToken ct)
    {
        var edit = request.ToEdit(out var kindError);
        if (kindError is not null)
        {
            return KindInvalid(kindError);
        }

        var change = await testSets.UpdateCaseAsync(id, caseId, edit, http.User.ActorName(), ct);
        return change.Outcome switch
        {
            TestSetChangeOutcome.Done => TypedResults.Ok(TestCaseResponse.From(change.Case!)),
            TestSetChangeOutcome.Invalid => Invalid(change, "Invalid test case"),
            _ => TypedResults.Problem(change.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteCaseAsync(Guid id, Guid caseId, TestSets testSets, HttpContext http, CancellationToken ct)
    {
        var change = await testSets.DeleteCaseAsync(id, caseId, http.User.ActorName(), ct);
        return change.Succeeded ? TypedResults.NoContent() : TypedResults.Problem(change.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }

    private static async Task<Results<Ok<TestCaseImportResponse>, ProblemHttpResult>> ImportAsync(
        Guid id, string? format, TestSets testSets, HttpContext http, CancellationToken ct)
    {
        if (!TestCaseFile.TryParseFormat(format, out var parsed))
        {
            return Bad("Say the file's format: ?format=csv or ?format=jsonl (JSON Lines, one case per line).", "Unknown format");
        }

        string content;
        using (var reader = new StreamReader(http.Request.Body))
        {
            content = await reader.ReadToEndAsync(ct);
        }

        var result = await testSets.ImportAsync(id, content, parsed, http.User.ActorName(), ct);
        return result.Outcome switch
        {
            TestSetChangeOutcome.Done => TypedResults.Ok(new TestCaseImportResponse(result.Added, result.Updated, result.Message)),
            TestSetChangeOutcome.Invalid => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status400BadRequest, title: "Nothing was imported",
                extensions: new Dictionary<string, object?> { ["lines"] = result.Errors.Select(e => new { line = e.Line, message = e.Message }).ToArray() }),
            _ => SetNotFound(id),
        };
    }

    private static async Task<IResult> ExportAsync(Guid id, string? format, TestSets testSets, CancellationToken ct)
    {
        if (!TestCaseFile.TryParseFormat(format ?? "csv", out var parsed))
        {
            return Bad("format is csv or jsonl.", "Unknown format");
        }

        if (await testSets.ExportAsync(id, parsed, ct) is not { } file)
        {
            return SetNotFound(id);
        }

        var name = $"{Engine.Slug.From(file.Name)}.{TestCaseFile.Extension(parsed)}";
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(file.Content), TestCaseFile.ContentType(parsed), name);
    }

    private static async Task<Results<Ok<TestCaseDraftResponse>, ProblemHttpResult>> DraftFromRunAsync(Guid id, TestSets testSets, CancellationToken ct)
    {
        var draft = await testSets.DraftFromRunAsync(id, ct);
        return draft.Outcome switch
        {
            TestSetChangeOutcome.Done => TypedResults.Ok(new TestCaseDraftResponse(draft.AgentKey!,
                (await testSets.ListAsync(draft.AgentKey!, ct))?.FirstOrDefault(s => s.IsDefault)?.Id, draft.Message, TestCaseRequest.From(draft.Case!))),
            TestSetChangeOutcome.Conflict => TypedResults.Problem(draft.Message, statusCode: StatusCodes.Status409Conflict, title: "The run's input is gone"),
            _ => TypedResults.Problem(draft.Message, statusCode: StatusCodes.Status404NotFound, title: "Run not found"),
        };
    }

    private static async Task<Results<Ok<TestSetResponse>, ValidationProblem, ProblemHttpResult>> SetResultAsync(
        TestSetChange change, Guid id, TestSets testSets, CancellationToken ct) => change.Outcome switch
        {
            TestSetChangeOutcome.Done => TypedResults.Ok(TestSetResponse.From((await testSets.FindAsync(id, ct))!)),
            TestSetChangeOutcome.Invalid => Invalid(change, "Invalid test set"),
            _ => SetNotFound(id),
        };

    private static ValidationProblem Invalid(TestSetChange change, string title) =>
        TypedResults.ValidationProblem(change.Errors, title: title, detail: change.Message);

    private static ValidationProblem KindInvalid(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [TestCaseValidation.Kind] = [message] }, title: "Invalid test case", detail: message);

    private static ProblemHttpResult AgentNotFound(string key) => TypedResults.Problem($"No agent with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Agent not found");

    private static ProblemHttpResult SetNotFound(Guid id) => TypedResults.Problem($"No test set {id}.", statusCode: StatusCodes.Status404NotFound, title: "Test set not found");

    private static ProblemHttpResult Bad(string detail, string title) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
