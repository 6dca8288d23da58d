using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Access;
using AgentConsole.Engine.DecisionTables;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.DecisionTables;

public sealed record DecisionVersionInfo(int Number, string Status, int Revision, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt,
    string UpdatedBy, DateTimeOffset? PublishedAt, string? PublishedBy, string? Note)
{
    public static DecisionVersionInfo From(DecisionVersion v) =>
        new(v.Number, v.Status.ToString(), v.Revision, v.CreatedAt, v.CreatedBy, v.UpdatedAt, v.UpdatedBy, v.PublishedAt, v.PublishedBy, v.Note);
}

/// <param name="MainDecision">The decision evaluated when a caller names none.</param>
/// <param name="Graph">The model's decision requirements graph: input data, decisions, knowledge models and requirements.</param>
public sealed record DecisionResponse(string Key, string Name, string? Agent, DecisionVersionInfo Version, IReadOnlyList<DecisionVersionInfo> Versions, DmnModel Model,
    string MainDecision, DmnGraph Graph)
{
    public static DecisionResponse From(LoadedDecision d) => new(
        d.Decision.Key, d.Decision.Name, d.Decision.AgentKey, DecisionVersionInfo.From(d.Version),
        [.. d.Decision.Versions.OrderBy(v => v.Number).Select(DecisionVersionInfo.From)], d.Model, d.Definition.Name, d.Model.Graph());
}

/// <param name="Decision">Which decision of the model to evaluate (also <c>?decision=</c>); default the main decision.</param>
public sealed record EvaluateRequest(JsonElement Inputs, string? Decision = null);

/// <param name="Decision">The decision evaluated.</param>
/// <param name="Intermediates">The results of the decisions it required, in evaluation order (each evaluated once).</param>
public sealed record EvaluateResponse(JsonNode? Result, IReadOnlyList<string> MatchedRules, int Version, bool UsedDefaultOutput,
    string Decision, IReadOnlyList<IntermediateResponse> Intermediates);

/// <summary>One required decision's result within an evaluation.</summary>
public sealed record IntermediateResponse(string Decision, JsonNode? Result, IReadOnlyList<string> MatchedRules, bool UsedDefaultOutput)
{
    public static IntermediateResponse From(DecisionResult r) => new(r.DecisionName, DecisionValues.ToJson(r.Value), [.. r.MatchedRuleIds], r.UsedDefaultOutput);
}

public sealed record SaveDraftRequest(DmnModel Model, int? Revision, string? Note);

public sealed record TestCaseRequest(string Name, JsonElement Inputs, JsonElement Expected);

public sealed record TestCaseResponse(Guid Id, string Name, JsonNode? Inputs, JsonNode? Expected)
{
    public static TestCaseResponse From(DecisionTestCase t) => new(t.Id, t.Name, JsonNode.Parse(t.InputsJson), JsonNode.Parse(t.ExpectedJson));
}

/// <summary>Optional body of a publish: an Admin's written reason to publish an agent's decision the publish gate refuses.</summary>
public sealed record PublishRequest(string? OverrideReason);

public sealed record TestOutcomeResponse(Guid Id, string Name, bool Passed, JsonNode? Actual, JsonNode? Expected, string? Error);

public static class DecisionEndpoints
{
    private const int MaxOverrideReason = 1000;

    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/decisions").WithTags("Decisions").RequireAuthorization(Policies.AnyRole);
        group.MapGet("/", async (DecisionCatalog catalog, string? agent, CancellationToken ct) => TypedResults.Ok(await catalog.ListAsync(agent, ct)))
            .WithName("ListDecisions").WithSummary("List decisions with their published and draft versions");
        group.MapPost("/import", ImportAsync).WithName("ImportDecisions").RequireAuthorization(Policies.EditDecisions)
            .Accepts<string>("application/xml", "text/xml")
            .WithSummary("Import a DMN 1.1–1.5 file (XML body): the whole model becomes one draft, keyed and named after its main (top) decision");
        group.MapGet("/{key}/dmn", ExportAsync).WithName("ExportDecision")
            .WithSummary("The decision as DMN 1.3 XML at ?version= (default: the draft if any, else published)");
        group.MapGet("/{key}", GetAsync).WithName("GetDecision")
            .WithSummary("The decision model at ?version=draft|published|N (default: the draft if any, else published), with its main decision and requirements graph");
        group.MapPut("/{key}", SaveDraftAsync).WithName("SaveDecisionDraft").RequireAuthorization(Policies.EditDecisions)
            .WithSummary("Save the draft (a published version is never changed); send the draft revision you edited");
        group.MapPost("/{key}/evaluate", EvaluateAsync).WithName("EvaluateDecision")
            .WithSummary("Evaluate with {\"inputs\": {...}, \"decision\": \"...\"} at ?version= (default: published, else draft); decision (or ?decision=) "
                + "names any decision of the model (default: its main decision); the response lists the required decisions' results as intermediates");
        group.MapPost("/{key}/analyze", AnalyzeAsync).WithName("AnalyzeDecision")
            .WithSummary("Gaps, overlaps, unreachable rules, values outside allowed values, type and parse errors at ?version= (default: the draft if any)");
        group.MapPost("/{key}/publish", PublishAsync).WithName("PublishDecision").RequireAuthorization(Policies.EditDecisions)
            .WithSummary("Publish the draft if it compiles, its test cases pass and, for an agent's decision, an evaluation of the draft reached the agent's "
                + "threshold (409 names the evaluation); an Admin may send {\"overrideReason\": \"...\"} to publish anyway (audited)");
        group.MapPost("/{key}/rollback", RollbackAsync).WithName("RollbackDecision").RequireAuthorization(Policies.EditDecisions)
            .WithSummary("Publish an earlier (retired) version again: ?version=N");
        group.MapGet("/{key}/diff", DiffAsync).WithName("DiffDecisionVersions").WithSummary("Cell-level differences between ?from=N and ?to=M");
        group.MapGet("/{key}/tests", ListTestsAsync).WithName("ListDecisionTests");
        group.MapPost("/{key}/tests", AddTestAsync).WithName("AddDecisionTest").RequireAuthorization(Policies.EditDecisions);
        group.MapDelete("/{key}/tests/{id:guid}", DeleteTestAsync).WithName("DeleteDecisionTest").RequireAuthorization(Policies.EditDecisions);
        group.MapPost("/{key}/tests/run", RunTestsAsync).WithName("RunDecisionTests").WithSummary("Run the saved test cases against ?version= (default: the draft if any)");
        return endpoints;
    }

    private static async Task<IResult> ImportAsync(HttpContext http, DecisionImport import, CancellationToken ct)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/xml" or "text/xml"))
        {
            return TypedResults.Problem("Send the DMN file as the request body with Content-Type: application/xml.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }

        var xml = await ReadBoundedAsync(http.Request.Body, DmnXml.MaxDocumentCharacters, ct);
        if (xml is null)
        {
            return TypedResults.Problem($"A DMN file may hold at most {DmnXml.MaxDocumentCharacters:N0} characters.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "The DMN file is too large");
        }

        var outcome = await import.ImportAsync(xml, http.User.ActorName(), null, ct);
        var issues = outcome.Issues.Select(i => new { severity = i.Severity.ToString(), message = i.Message, element = i.Element, line = i.Line, column = i.Column }).ToArray();
        if (!outcome.Succeeded)
        {
            return TypedResults.Problem(string.Join(" ", outcome.Issues.Select(i => i.ToString())), statusCode: StatusCodes.Status400BadRequest,
                title: "The DMN file could not be imported", extensions: new Dictionary<string, object?> { ["issues"] = issues });
        }

        return TypedResults.Created($"/api/v1/decisions/{outcome.Imported[0].Key}", new
        {
            decisions = outcome.Imported.Select(d => new { key = d.Key, name = d.Name }).ToArray(),
            issues,
        });
    }

    /// <summary>
    /// The body as text, or null once it passes <paramref name="maxCharacters"/>. The rest of an oversized body is read
    /// and dropped (Kestrel's request size limit still applies) so the client gets the 413 instead of a broken pipe.
    /// </summary>
    private static async Task<string?> ReadBoundedAsync(Stream body, int maxCharacters, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        var text = new System.Text.StringBuilder();
        var chunk = new char[16 * 1024];
        int read;
        while ((read = await reader.ReadAsync(chunk.AsMemory(), ct)) > 0)
        {
            if (text.Length + read > maxCharacters)
            {
                while (await reader.ReadAsync(chunk.AsMemory(), ct) > 0)
                {
                }

                return null;
            }

            text.Append(chunk, 0, read);
        }

        return text.ToString();
    }

    private static async Task<IResult> ExportAsync(string key, string? version, DecisionCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (!DecisionCatalog.IsValidVersionSelector(version))
        {
            return BadVersion(version);
        }

        var decision = await catalog.LoadAsync(key, version, ct);
        if (decision is null)
        {
            return NotFound(key);
        }

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{decision.Decision.Key}-v{decision.Version.Number}.dmn\"";
        return TypedResults.Text(DmnXml.Export(decision.Model), "application/xml", System.Text.Encoding.UTF8);
    }

    private static ProblemHttpResult NotFound(string key) =>
        TypedResults.Problem($"No decision with key '{key}'.", statusCode: StatusCodes.Status404NotFound, title: "Decision not found");

    private static ProblemHttpResult BadVersion(string? version) =>
        TypedResults.Problem($"version must be 'draft', 'published' or a version number; got '{version}'.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid version");

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> GetAsync(string key, string? version, DecisionCatalog catalog, CancellationToken ct)
    {
        if (!DecisionCatalog.IsValidVersionSelector(version))
        {
            return BadVersion(version);
        }

        var decision = await catalog.LoadAsync(key, version, ct);
        return decision is null
            ? await catalog.LoadAsync(key, null, ct) is null ? NotFound(key) : TypedResults.Problem($"'{key}' has no {version} version.", statusCode: 404, title: "Version not found")
            : TypedResults.Ok(DecisionResponse.From(decision));
    }

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> SaveDraftAsync(string key, SaveDraftRequest request, DecisionCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (request.Model is null || request.Model.Decisions.Count == 0)
        {
            return TypedResults.Problem("model must hold at least one decision.", statusCode: 400, title: "Invalid decision model");
        }

        var result = await catalog.SaveDraftAsync(key, request.Model, request.Revision, http.User.ActorName(), request.Note, ct);
        return result.Outcome switch
        {
            DecisionChangeOutcome.Done => TypedResults.Ok(DecisionResponse.From(result.Decision!)),
            DecisionChangeOutcome.NotFound => NotFound(key),
            DecisionChangeOutcome.Conflict => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Edit conflict"),
            _ => TypedResults.Problem(result.Message, statusCode: 400, title: "Invalid decision model",
                extensions: result.Errors.Count == 0 ? null : new Dictionary<string, object?> { ["errors"] = result.Errors.Select(CellError).ToArray() }),
        };
    }

    private static object CellError(DecisionDiagnostic d) => new
    {
        message = d.ToString(),
        decision = d.DecisionName,
        part = d.Part.ToString(),
        rule = d.RuleIndex + 1,
        ruleId = d.RuleId,
        column = d.ColumnIndex + 1,
        offset = d.Syntax?.Offset,
        line = d.Syntax?.Line,
        character = d.Syntax?.Column,
    };

    private static async Task<Results<Ok<EvaluateResponse>, ProblemHttpResult>> EvaluateAsync(
        string key, string? version, string? decision, EvaluateRequest request, DecisionWorkbench workbench, CancellationToken ct)
    {
        if (!DecisionCatalog.IsValidVersionSelector(version))
        {
            return BadVersion(version);
        }

        if (decision is not null && request.Decision is not null && !string.Equals(decision, request.Decision, StringComparison.Ordinal))
        {
            return TypedResults.Problem($"?decision= names '{decision}' but the body names '{request.Decision}'; send one.", statusCode: 400, title: "Invalid decision");
        }

        decision ??= request.Decision;

        Dictionary<string, object?> inputs;
        try
        {
            inputs = DecisionValues.ReadInputs(request.Inputs);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(ex.Message + " Send {\"inputs\": {\"name\": value}}.", statusCode: 400, title: "Invalid inputs");
        }

        var evaluation = await workbench.EvaluateAsync(key, inputs, version, trace: true, decision, ct);
        if (evaluation is null)
        {
            return NotFound(key);
        }

        var model = evaluation.Decision.Model;
        if (decision is not null && model.FindDecision(decision) is null)
        {
            var names = model.Decisions.Select(d => d.Name).ToArray();
            return TypedResults.Problem($"'{evaluation.Decision.Decision.Name}' has no decision named '{decision}'; its decisions are {string.Join(", ", names.Select(n => $"'{n}'"))}.",
                statusCode: StatusCodes.Status404NotFound, title: "Decision not found in the model", extensions: new Dictionary<string, object?> { ["decisions"] = names });
        }

        var result = evaluation.Result;
        if (result.Error is { } error)
        {
            var invalid = error.Kind == DecisionErrorKind.InvalidInput;
            var extensions = new Dictionary<string, object?> { ["kind"] = error.Kind.ToString(), ["rules"] = error.RuleIds.ToArray(), ["input"] = error.InputName };
            if (invalid && error.InputName is not null)
            {
                extensions["errors"] = new[] { new { input = error.InputName, path = error.InputPath ?? error.InputName, message = error.Message } };
            }

            return TypedResults.Problem(error.Message, statusCode: invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
                title: invalid ? "Invalid input" : "The decision could not produce a result", extensions: extensions);
        }

        return TypedResults.Ok(new EvaluateResponse(evaluation.ResultJson, [.. result.MatchedRuleIds], evaluation.Decision.Version.Number, result.UsedDefaultOutput,
            result.DecisionName, [.. result.Intermediates.Select(IntermediateResponse.From)]));
    }

    private static async Task<IResult> AnalyzeAsync(string key, string? version, DecisionCatalog catalog, CancellationToken ct)
    {
        if (!DecisionCatalog.IsValidVersionSelector(version))
        {
            return BadVersion(version);
        }

        var decision = await catalog.LoadAsync(key, version, ct);
        if (decision is null)
        {
            return NotFound(key);
        }

        if (DecisionWorkbench.Analyze(decision.Model) is not { } analysis)
        {
            return TypedResults.Ok(new { findings = Array.Empty<object>(), isPartial = false, durationMs = 0.0, gapCount = 0, overlapCount = 0, partialCellCount = 0, partialCells = Array.Empty<object>() });
        }

        return TypedResults.Ok(new
        {
            version = decision.Version.Number,
            findings = analysis.Findings.Select(f => new
            {
                kind = f.Kind.ToString(),
                severity = f.Severity.ToString(),
                message = f.Message,
                rules = f.Rules.Select(r => decision.Definition is DecisionTableDefinition t && r < t.Rules.Count ? t.Rules[r].Id : r.ToString(CultureInfo.InvariantCulture)).ToArray(),
                cells = f.Cells.Select(c => new { kind = c.Kind.ToString(), rule = c.RuleIndex, ruleId = c.RuleId, column = c.Column }).ToArray(),
                conditions = f.Conditions.Select(c => new { input = c.InputName, text = c.Text }).ToArray(),
                example = f.Example is null ? null : DecisionValues.ToJson(f.Example.ToDictionary(e => e.Key, e => e.Value)),
                exampleInput = f.ExampleInputs is null ? null : DecisionValues.ToJson(f.ExampleInputs.ToDictionary(e => e.Key, e => e.Value)),
                position = f.SyntaxError is { } e ? new { line = e.Line, column = e.Column, offset = e.Offset } : null,
            }).ToArray(),
            isPartial = analysis.IsPartial,
            durationMs = Math.Round(analysis.Duration.TotalMilliseconds, 2),
            gapCount = analysis.GapCount,
            overlapCount = analysis.OverlapCount,
            partialCellCount = analysis.PartialCells.Count,
            partialCells = analysis.PartialCells.Select(c => new { rule = c.RuleIndex, ruleId = c.RuleId, column = c.Column, input = c.Input, text = c.Text, reason = c.Reason }).ToArray(),
        });
    }

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> PublishAsync(
        string key, PublishRequest? request, DecisionWorkbench workbench, HttpContext http, CancellationToken ct)
    {
        var reason = request?.OverrideReason?.Trim();
        if (request?.OverrideReason is not null)
        {
            if (!http.User.IsInRole(Engine.Access.Roles.Admin))
            {
                return TypedResults.Problem("Only an Admin may override the publish gate.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            }

            if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxOverrideReason)
            {
                return TypedResults.Problem($"overrideReason must be a written reason of 1 to {MaxOverrideReason} characters.", statusCode: 400, title: "Invalid override reason");
            }
        }

        var (change, tests) = await workbench.PublishAsync(key, http.User.ActorName(), reason, ct);
        return change.Outcome switch
        {
            DecisionChangeOutcome.Done => TypedResults.Ok(DecisionResponse.From(change.Decision!)),
            DecisionChangeOutcome.NotFound => NotFound(key),
            _ when change.Gate is { } gate => TypedResults.Problem(change.Message, statusCode: StatusCodes.Status409Conflict, title: "Publish gate not met",
                extensions: new Dictionary<string, object?> { ["evaluationId"] = gate.EvaluationId, ["passRate"] = gate.PassRate, ["threshold"] = gate.Threshold }),
            _ => TypedResults.Problem(change.Message, statusCode: StatusCodes.Status409Conflict, title: "Cannot publish",
                extensions: new Dictionary<string, object?> { ["failedTests"] = tests.Where(t => !t.Passed).Select(ToResponse).ToArray() }),
        };
    }

    private static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> RollbackAsync(string key, string? version, DecisionCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return TypedResults.Problem("version must be the number of the retired version to publish again.", statusCode: 400, title: "Invalid version");
        }

        var change = await catalog.RollbackAsync(key, number, http.User.ActorName(), ct);
        return change.Outcome switch
        {
            DecisionChangeOutcome.Done => TypedResults.Ok(DecisionResponse.From(change.Decision!)),
            DecisionChangeOutcome.NotFound => TypedResults.Problem(change.Message, statusCode: 404, title: "Not found"),
            _ => TypedResults.Problem(change.Message, statusCode: StatusCodes.Status409Conflict, title: "Cannot roll back"),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<DecisionChange>>, ProblemHttpResult>> DiffAsync(string key, int? from, int? to, DecisionCatalog catalog, CancellationToken ct)
    {
        if (from is null || to is null)
        {
            return TypedResults.Problem("from and to must be version numbers.", statusCode: 400, title: "Invalid diff");
        }

        var diff = await catalog.DiffAsync(key, from.Value, to.Value, ct);
        return diff is null ? TypedResults.Problem($"'{key}' has no version {from} or {to}.", statusCode: 404, title: "Not found") : TypedResults.Ok(diff);
    }

    private static async Task<Results<Ok<TestCaseResponse[]>, ProblemHttpResult>> ListTestsAsync(string key, DecisionCatalog catalog, CancellationToken ct) =>
        await catalog.LoadAsync(key, null, ct) is null
            ? NotFound(key)
            : TypedResults.Ok((await catalog.ListTestCasesAsync(key, ct)).Select(TestCaseResponse.From).ToArray());

    private static async Task<Results<Created<TestCaseResponse>, ProblemHttpResult>> AddTestAsync(
        string key, TestCaseRequest request, DecisionCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return TypedResults.Problem("name is required (at most 200 characters).", statusCode: 400, title: "Invalid test case");
        }

        if (request.Inputs.ValueKind != JsonValueKind.Object)
        {
            return TypedResults.Problem("inputs must be a JSON object of input name to value.", statusCode: 400, title: "Invalid test case");
        }

        var test = await catalog.AddTestCaseAsync(key, request.Name, request.Inputs.GetRawText(),
            request.Expected.ValueKind == JsonValueKind.Undefined ? "null" : request.Expected.GetRawText(), http.User.ActorName(), ct);
        return test is null ? NotFound(key) : TypedResults.Created($"/api/v1/decisions/{key}/tests/{test.Id}", TestCaseResponse.From(test));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTestAsync(string key, Guid id, DecisionCatalog catalog, HttpContext http, CancellationToken ct) =>
        await catalog.DeleteTestCaseAsync(key, id, http.User.ActorName(), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"'{key}' has no test case {id}.", statusCode: 404, title: "Not found");

    private static async Task<Results<Ok<TestOutcomeResponse[]>, ProblemHttpResult>> RunTestsAsync(string key, string? version, DecisionCatalog catalog, CancellationToken ct)
    {
        if (!DecisionCatalog.IsValidVersionSelector(version))
        {
            return BadVersion(version);
        }

        var decision = await catalog.LoadAsync(key, version, ct);
        if (decision is null)
        {
            return NotFound(key);
        }

        var outcomes = DecisionWorkbench.RunTests(decision.Model, await catalog.ListTestCasesAsync(key, ct));
        return TypedResults.Ok(outcomes.Select(ToResponse).ToArray());
    }

    private static TestOutcomeResponse ToResponse(DecisionTestOutcome o) => new(o.Test.Id, o.Test.Name, o.Passed, o.Actual, o.Expected, o.Error);
}
