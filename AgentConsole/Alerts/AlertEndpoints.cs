using System.Globalization;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Engine.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AgentConsole.Alerts;

/// <summary>Alerts over HTTP: the list by status, acknowledging, and the rules (Admins and Owners edit them).</summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var alerts = endpoints.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireAuthorization(Policies.Alerts);
        alerts.MapGet("/", ListAsync).WithName("ListAlerts")
            .WithSummary("Alerts newest first: status=firing (default), resolved or all; filter by agent; page with limit and cursor");
        alerts.MapGet("/{id:long}", GetAsync).WithName("GetAlert").WithSummary("One alert");
        alerts.MapPost("/{id:long}/acknowledge", AcknowledgeAsync).WithName("AcknowledgeAlert")
            .WithSummary("Say you are on it; the alert still resolves by itself. 409 once it resolved");

        var rules = endpoints.MapGroup("/api/v1/alert-rules").WithTags("Alerts").RequireAuthorization(Policies.Alerts);
        rules.MapGet("/", async (AlertRuleCatalog catalog, CancellationToken ct) =>
            TypedResults.Ok((await catalog.ListAsync(ct)).Select(AlertRuleResponse.From).ToArray())).WithName("ListAlertRules").WithSummary("Every alert rule");
        rules.MapGet("/{id:guid}", GetRuleAsync).WithName("GetAlertRule").WithSummary("One alert rule, with its last evaluation error if any");
        rules.MapPost("/", CreateRuleAsync).WithName("CreateAlertRule").WithSummary("Add a rule; 400 lists the errors by field (alert.x)")
            .RequireAuthorization(Policies.Configure);
        rules.MapPut("/{id:guid}", UpdateRuleAsync).WithName("UpdateAlertRule").WithSummary("Replace a rule").RequireAuthorization(Policies.Configure);
        rules.MapDelete("/{id:guid}", DeleteRuleAsync).WithName("DeleteAlertRule")
            .WithSummary("Delete a rule; its firing alerts resolve at the next evaluation").RequireAuthorization(Policies.Configure);
        return endpoints;
    }

    private static async Task<Results<Ok<AlertPageResponse>, ProblemHttpResult>> ListAsync(
        AlertBoard board, IOptions<AlertOptions> options, string? status, string? agent, string? cursor, int? limit, CancellationToken ct)
    {
        AlertStatus? parsed;
        switch (status?.Trim().ToLowerInvariant())
        {
            case null or "" or "firing":
                parsed = AlertStatus.Firing;
                break;
            case "resolved":
                parsed = AlertStatus.Resolved;
                break;
            case "all":
                parsed = null;
                break;
            default:
                return Bad($"status must be firing, resolved or all; got {JsonSerializer.Serialize(status)}.", "Invalid status");
        }

        if (limit is < 1 or > AlertBoard.MaxPageSize)
        {
            return Bad($"limit must be between 1 and {AlertBoard.MaxPageSize}.", "Invalid limit");
        }

        long? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return Bad("cursor is the nextCursor of the previous page.", "Invalid cursor");
            }

            after = value;
        }

        var page = await board.ListAsync(new AlertQuery(parsed, string.IsNullOrWhiteSpace(agent) ? null : agent.Trim(), after, limit ?? options.Value.PageSize), ct);
        return TypedResults.Ok(new AlertPageResponse([.. page.Items.Select(AlertResponse.From)], page.NextCursor?.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> GetAsync(long id, AlertBoard board, CancellationToken ct) =>
        await board.FindAsync(id, ct) is { } alert ? TypedResults.Ok(AlertResponse.From(alert)) : AlertNotFound(id);

    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> AcknowledgeAsync(long id, AlertBoard board, HttpContext http, CancellationToken ct)
    {
        var result = await board.AcknowledgeAsync(id, http.User.ActorName(), ct);
        return result.Outcome switch
        {
            AlertAcknowledgeOutcome.Acknowledged or AlertAcknowledgeOutcome.AlreadyAcknowledged => TypedResults.Ok(AlertResponse.From(result.Alert!)),
            AlertAcknowledgeOutcome.NotFiring => TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Alert already resolved"),
            _ => AlertNotFound(id),
        };
    }

    private static async Task<Results<Ok<AlertRuleResponse>, ProblemHttpResult>> GetRuleAsync(Guid id, AlertRuleCatalog catalog, CancellationToken ct) =>
        await catalog.FindAsync(id, ct) is { } rule ? TypedResults.Ok(AlertRuleResponse.From(rule)) : RuleNotFound(id);

    private static async Task<Results<Created<AlertRuleResponse>, ValidationProblem, ProblemHttpResult>> CreateRuleAsync(
        AlertRuleRequest request, AlertRuleCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (!TryParseKind(request.Kind, out var kind, out var unknown))
        {
            return unknown!;
        }

        var result = await catalog.CreateAsync(request.ToEdit(kind), http.User.ActorName(), ct);
        return result.Outcome switch
        {
            AlertRuleSaveOutcome.Saved => TypedResults.Created($"/api/v1/alert-rules/{result.Rule!.Id}", AlertRuleResponse.From(result.Rule)),
            AlertRuleSaveOutcome.Invalid => Invalid(result),
            _ => RuleNotFound(Guid.Empty),
        };
    }

    private static async Task<Results<Ok<AlertRuleResponse>, ValidationProblem, ProblemHttpResult>> UpdateRuleAsync(
        Guid id, AlertRuleRequest request, AlertRuleCatalog catalog, HttpContext http, CancellationToken ct)
    {
        if (!TryParseKind(request.Kind, out var kind, out var unknown))
        {
            return unknown!;
        }

        var result = await catalog.UpdateAsync(id, request.ToEdit(kind), http.User.ActorName(), ct);
        return result.Outcome switch
        {
            AlertRuleSaveOutcome.Saved => TypedResults.Ok(AlertRuleResponse.From(result.Rule!)),
            AlertRuleSaveOutcome.Invalid => Invalid(result),
            _ => RuleNotFound(id),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(Guid id, AlertRuleCatalog catalog, HttpContext http, CancellationToken ct) =>
        (await catalog.DeleteAsync(id, http.User.ActorName(), ct)).Outcome == AlertRuleSaveOutcome.Saved ? TypedResults.NoContent() : RuleNotFound(id);

    /// <summary>A missing kind is the validation's to report (at its field); a kind that is none is refused here.</summary>
    private static bool TryParseKind(string? text, out AlertKind? kind, out ValidationProblem? problem)
    {
        (kind, problem) = (null, null);
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (Enum.TryParse<AlertKind>(text.Trim(), ignoreCase: true, out var parsed) && !int.TryParse(text, out _))
        {
            kind = parsed;
            return true;
        }

        problem = TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [AlertRuleValidation.Kind] = [$"'{text}' is not an alert kind; the kinds are {string.Join(", ", Enum.GetNames<AlertKind>())}."] },
            title: "Unknown alert kind");
        return false;
    }

    private static ValidationProblem Invalid(AlertRuleSaveResult result) =>
        TypedResults.ValidationProblem(result.Errors, title: "Invalid alert rule", detail: result.Message);

    private static ProblemHttpResult AlertNotFound(long id) => TypedResults.Problem($"No alert {id}.", statusCode: StatusCodes.Status404NotFound, title: "Alert not found");

    private static ProblemHttpResult RuleNotFound(Guid id) => TypedResults.Problem($"No alert rule {id}.", statusCode: StatusCodes.Status404NotFound, title: "Alert rule not found");

    private static ProblemHttpResult Bad(string detail, string title) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
