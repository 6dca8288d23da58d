using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Runs.Redaction;
using AgentConsole.Engine.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Escalations;

/// <summary>
/// A person's (or the SLA's) decision on an escalation, applied to its paused run in one transaction, then the run's
/// continuation is enqueued: approve resumes it (running the held tool call, granting a stopped run another allowance,
/// or carrying on as the chosen decision value), edit-approve runs the held call with corrected arguments, reject
/// declines (a held call is not run and the model hears why; other escalations end the run), return resumes the run
/// with the reviewer's guidance, take-over ends it as handled by a person with their outcome, cancel ends it.
/// The escalation's version guards every decision: a second decision on the same state is a conflict, never a 500.
/// </summary>
public sealed class EscalationResolver(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AgentRuns runs,
    AuditLog audit,
    RunNotifications notifications,
    Redactors redactors,
    ToolRegistry tools,
    EscalationAnnouncer announcer,
    TimeProvider time)
{
    public async Task<Escalation?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Escalations.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
    }

    /// <summary>
    /// A decision by a trusted caller (tests, tools acting as an Admin): the actor is treated as an Admin, so only the
    /// policy's four-eyes rule applies. Pages and the API pass the signed-in user's roles instead.
    /// </summary>
    public Task<RunCommandResult> ResolveAsync(Guid escalationId, EscalationAction action, string? comment, string actor, CancellationToken ct = default) =>
        ResolveAsync(escalationId, new EscalationDecision(action, comment), new EscalationReviewer(actor, [Access.Roles.Admin]), ct);

    public async Task<RunCommandResult> ResolveAsync(Guid escalationId, EscalationDecision decision, EscalationReviewer reviewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var escalation = await db.Escalations.SingleOrDefaultAsync(e => e.Id == escalationId, ct);
        if (escalation is null)
        {
            return RunCommandResult.NotFound($"No escalation {escalationId}.");
        }

        var now = time.GetUtcNow();
        if (Refusal(escalation, decision, reviewer, now) is { } refused)
        {
            return refused;
        }

        var run = await db.Runs.SingleAsync(r => r.Id == escalation.RunId, ct);
        if (run.Status is not (RunStatus.WaitingForHuman or RunStatus.StoppedByLimit))
        {
            return RunCommandResult.Conflict($"The run is {AgentRuns.Describe(run.Status)}, not waiting for a decision.", run.Id);
        }

        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == run.AgentKey, ct);
        var policy = agent?.Escalation ?? new EscalationPolicy();
        if (!reviewer.IsSla && !policy.MayReview(reviewer.Roles, reviewer.Email ?? reviewer.Actor))
        {
            return RunCommandResult.Forbidden($"Only {policy.Describe()} (or an Admin) may decide {run.AgentName}'s escalations.", run.Id);
        }

        var redaction = RunRedaction.Load(redactors, run, agent?.RedactionPatterns, reviewer.Actor);
        var conversation = RunSession.ReadConversation(run.ConversationJson);
        var plan = await PlanAsync(db, escalation, decision, reviewer, run, agent, policy, redaction, conversation, ct);
        if (plan.Refused is { } invalid)
        {
            return invalid;
        }

        var note = Text(decision.Reason);
        var storedNote = redaction.Text(note);
        escalation.Resolve(decision.Action, reviewer.Actor, storedNote, now,
            reviewer.IsSla ? EscalationResolvedVia.Timeout : EscalationResolvedVia.Reviewer,
            plan.EditedArguments is null ? null : redaction.Json(plan.EditedArguments)?.ToJsonString(), plan.ChosenValue);

        plan.Apply(run, now);
        if (plan.Resume && run.Status != RunStatus.Running)
        {
            run.Resume(now);
        }

        // The vault may have issued placeholders for the note: saved with the run, so later steps reuse them.
        run.Checkpoint(JsonSerializer.Serialize(conversation, AIJsonUtilities.DefaultOptions), redaction.Vault.ToJson(), now);
        var by = reviewer.IsSla ? $"The SLA ({escalation.DefaultAction})" : reviewer.Actor;
        var said = note ?? Text(decision.Guidance);
        var name = EscalationActions.Name(decision.Action);
        await RunStep.AppendAsync(db, redaction, run.Id, now, RunStepKind.Human, $"{by} {plan.Outcome}{(said is null ? "" : $": {said}")}",
            new { escalationId = escalation.Id, action = name, reason = note, guidance = Text(decision.Guidance), value = plan.ChosenValue, arguments = plan.EditedArguments }, ct: ct);
        audit.Record(db, redaction.Audit(new AuditEntry(AuditCategory.Human, "escalation.resolved",
            reviewer.IsSla ? AuditActor.System : AuditActor.Parse(reviewer.Actor),
            $"{escalation.Kind} escalation {name}{(reviewer.IsSla ? " (SLA default action)" : "")}: {plan.Outcome}",
            new
            {
                escalationId = escalation.Id,
                kind = escalation.Kind.ToString(),
                action = name,
                via = escalation.ResolvedVia?.ToString(),
                reason = note,
                guidance = Text(decision.Guidance),
                value = plan.ChosenValue,
                arguments = plan.EditedArguments,
                waitedSeconds = (long)(now - escalation.CreatedAt).TotalSeconds,
            }, run.AgentKey, run.Id.ToString())));
        if (reviewer.IsSla)
        {
            await announcer.NotifyAsync(db, escalation, run.AgentName, policy, EscalationChange.Resolved, plan.Outcome, ct);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RunCommandResult.Conflict("The escalation or its run changed while the decision was being saved (someone else decided first); reload and try again.", run.Id);
        }

        if (plan.Resume)
        {
            runs.Enqueue(run.Id);
        }

        notifications.Publish(new RunUpdated(run.Id, run.AgentKey, run.Status));
        announcer.Resolved(escalation);
        return new RunCommandResult(RunCommandOutcome.Done, run.Id, plan.Outcome);
    }

    /// <summary>The reasons no decision can be taken on this escalation now, as the 409/400 the reviewer sees.</summary>
    private static RunCommandResult? Refusal(Escalation escalation, EscalationDecision decision, EscalationReviewer reviewer, DateTimeOffset now)
    {
        if (!escalation.IsOpen)
        {
            var when = escalation.ResolvedAt is { } at ? $" at {at:yyyy-MM-dd HH:mm} UTC" : "";
            return RunCommandResult.Conflict(escalation.ResolvedVia == EscalationResolvedVia.Timeout
                ? $"The escalation expired: its SLA ran out and the default action ({escalation.Resolution}) applied{when}."
                : $"The escalation was already resolved ({escalation.Status.ToString().ToLowerInvariant()} by {escalation.ResolvedBy}{when}).", escalation.RunId);
        }

        if (decision.ExpectedVersion is { } expected && expected != escalation.Version)
        {
            return RunCommandResult.Conflict("The escalation changed since you loaded it (claimed, released or held); reload and try again.", escalation.RunId);
        }

        if (!reviewer.IsSla && escalation.IsClaimedByOther(reviewer.Actor, now))
        {
            return RunCommandResult.Conflict($"{escalation.ClaimedBy} is working on this escalation (claimed at {escalation.ClaimedAt:HH:mm} UTC).", escalation.RunId);
        }

        foreach (var (field, value) in new[] { ("reason", decision.Reason), ("guidance", decision.Guidance), ("value", decision.Value) })
        {
            if (value?.Length > EscalationDecision.MaxTextLength)
            {
                return RunCommandResult.Invalid($"{field} must be at most {EscalationDecision.MaxTextLength} characters.",
                    new Dictionary<string, string[]> { [field] = [$"At most {EscalationDecision.MaxTextLength} characters."] }, escalation.RunId);
            }
        }

        return decision.Action switch
        {
            EscalationAction.Reject when Text(decision.Reason) is null && !reviewer.IsSla => Invalid(escalation, "reason", "Say why you reject: the reason goes to the record (and to the agent when it can correct itself)."),
            EscalationAction.Return when Text(decision.Guidance) is null => Invalid(escalation, "guidance", "Returning to the agent needs guidance: what should it do instead?"),
            EscalationAction.TakeOver when Text(decision.Reason) is null => Invalid(escalation, "reason", "Taking over needs your outcome: what did you do with the case?"),
            EscalationAction.EditApprove when escalation.Kind != EscalationKind.Approval => Invalid(escalation, "action", "Only a held tool call has arguments to edit; use approve."),
            EscalationAction.EditApprove when decision.Arguments is null => Invalid(escalation, "arguments", "Edit-approve needs the corrected arguments as a JSON object."),
            _ => null,
        };
    }

    private static RunCommandResult Invalid(Escalation escalation, string field, string message) =>
        RunCommandResult.Invalid(message, new Dictionary<string, string[]> { [field] = [message] }, escalation.RunId);

    private static string? Text(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private async Task<Plan> PlanAsync(AgentConsoleDbContext db, Escalation escalation, EscalationDecision decision, EscalationReviewer reviewer, Run run,
        Agent? agent, EscalationPolicy policy, RunRedaction redaction, List<ChatMessage> conversation, CancellationToken ct)
    {
        var note = Text(decision.Reason);
        var guidance = Text(decision.Guidance);
        var actor = reviewer.IsSla ? "the SLA" : reviewer.Actor;
        var approving = decision.Action is EscalationAction.Approve or EscalationAction.EditApprove;

        // Four eyes: whoever started the run does not approve its held action.
        if (approving && escalation.Kind == EscalationKind.Approval && policy.FourEyes && !reviewer.IsSla
            && string.Equals(run.CreatedBy, reviewer.Actor, StringComparison.OrdinalIgnoreCase))
        {
            return Plan.Refuse(RunCommandResult.Forbidden($"Four eyes: {reviewer.Actor} started this run, so another reviewer must approve its action.", run.Id));
        }

        switch (decision.Action, escalation.Kind)
        {
            case (EscalationAction.Cancel, _):
                return new Plan("cancelled the run", (r, now) => r.Cancel($"Cancelled by {actor} while resolving the escalation.", now));

            case (EscalationAction.TakeOver, _):
            {
                var outcome = redaction.Text(note)!;
                DeclineHeldCalls(conversation, "A person took this case over; the action was not performed.");
                return new Plan("took the case over; the run ends as handled by a person",
                    (r, now) => r.HandOver(outcome, $"Handled by {actor}: {outcome}", now));
            }

            case (_, EscalationKind.Approval):
            {
                var requests = conversation.LastOrDefault(m => m.Role == ChatRole.Assistant)?.Contents.OfType<ToolApprovalRequestContent>().ToList() ?? [];
                JsonObject? edited = null;
                if (decision.Action == EscalationAction.EditApprove)
                {
                    var call = requests.Select(r => r.ToolCall).OfType<FunctionCallContent>().FirstOrDefault();
                    if (call is null || tools.Find(call.Name) is not { } tool)
                    {
                        return Plan.Refuse(RunCommandResult.Conflict("The held call is no longer on record, so its arguments cannot be edited.", run.Id));
                    }

                    // The reviewer edits what they were shown (placeholders for sensitive values); the tool gets the real values.
                    if (redaction.Vault.Restore(decision.Arguments!.DeepClone()) is not JsonObject restored)
                    {
                        return Plan.Refuse(Invalid(escalation, "arguments", "The arguments must be a JSON object."));
                    }

                    if (ToolArguments.Validate(tool, restored) is { } problem)
                    {
                        // The problem names the tool and the parameter already.
                        return Plan.Refuse(RunCommandResult.Invalid(redaction.Text(problem)!,
                            new Dictionary<string, string[]> { ["arguments"] = [redaction.Text(problem)!] }, run.Id));
                    }

                    edited = decision.Arguments;
                    ReplaceArguments(conversation, call.CallId, restored);
                }

                var declined = decision.Action == EscalationAction.Return
                    ? $"A reviewer did not approve this action and returned the case with guidance: {guidance}"
                    : note ?? "A reviewer rejected this action.";
                conversation.Add(new ChatMessage(ChatRole.User, [.. requests.Select(r => (AIContent)r.CreateResponse(approving, approving ? note : declined))]));
                if (decision.Action == EscalationAction.Return)
                {
                    conversation.Add(Guidance(guidance!));
                }

                return new Plan(decision.Action switch
                {
                    EscalationAction.EditApprove => "approved the action with edited arguments",
                    EscalationAction.Approve => "approved the action",
                    EscalationAction.Return => "returned the case to the agent with guidance",
                    _ => "rejected the action",
                }, Resume: true) { EditedArguments = edited };
            }

            case (EscalationAction.Approve, EscalationKind.Limit):
            {
                var granted = await db.Escalations.CountAsync(e => e.RunId == run.Id && e.Kind == EscalationKind.Limit && e.Status == EscalationStatus.Approved, ct);
                if (granted >= policy.MaxLimitGrants)
                {
                    return Plan.Refuse(RunCommandResult.Conflict(
                        $"This run already had {granted} extra allowance{(granted == 1 ? "" : "s")}, the most {run.AgentName}'s escalation policy grants ({policy.MaxLimitGrants}); take it over or cancel it.", run.Id));
                }

                return new Plan("granted the run its limits once more", (r, now) =>
                    r.Resume(now, agent?.MaxSteps ?? 0, agent?.BudgetPerRunUsd ?? 0, agent?.WallClockLimitSeconds ?? 0), Resume: true);
            }

            case (EscalationAction.Approve, EscalationKind.ModelError):
                return new Plan("retried the model call", Resume: true);

            case (EscalationAction.Approve, EscalationKind.Route or EscalationKind.Decision) when EscalationChoices.Parse(escalation.ChoicesJson) is { } choices:
            {
                var value = choices.Values.FirstOrDefault(v => string.Equals(v, Text(decision.Value), StringComparison.OrdinalIgnoreCase));
                if (value is null)
                {
                    return Plan.Refuse(Invalid(escalation, "value",
                        $"Approve as one of {choices.DecisionName}'s allowed values: {string.Join(", ", choices.Values.Select(v => $"\"{v}\""))}."));
                }

                conversation.Add(ChosenValueMessage(conversation, choices, value, note));
                return new Plan($"approved as {(choices.Output is null ? "" : $"{choices.Output} = ")}\"{value}\"", Resume: true) { ChosenValue = value };
            }

            case (EscalationAction.Approve, EscalationKind.LowConfidence):
            {
                var output = LowConfidenceOutput(escalation.ProposedAction);
                return new Plan("approved the agent's answer; the run succeeds", (r, now) => r.Succeed(output, now));
            }

            case (EscalationAction.Approve, _):
                conversation.Add(Guidance(note ?? "Approved: carry on with the common path."));
                return new Plan("approved; the agent carries on", Resume: true);

            case (EscalationAction.Return, _):
                conversation.Add(Guidance(guidance!));
                // A run stopped by a limit needs room to act on the guidance: one more allowance, counted like a grant.
                return escalation.Kind == EscalationKind.Limit
                    ? new Plan("returned the case to the agent with guidance", (r, now) =>
                        r.Resume(now, agent?.MaxSteps ?? 0, agent?.BudgetPerRunUsd ?? 0, agent?.WallClockLimitSeconds ?? 0), Resume: true)
                    : new Plan("returned the case to the agent with guidance", Resume: true);

            case (EscalationAction.Reject, EscalationKind.Limit):
                return new Plan("left the run stopped");


            default:
                return new Plan("rejected; the run ends", (r, now) => r.Cancel($"Rejected by {actor}{(note is null ? "" : $": {redaction.Text(note)}")}.", now));
        }
    }

    private static string? LowConfidenceOutput(string? proposed)
    {
        try
        {
            return proposed is null ? null : JsonNode.Parse(proposed)?["output"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static ChatMessage Guidance(string text) => new(ChatRole.User, $"{RunPrompt.GuidanceHeading}\n{text}");

    /// <summary>
    /// The run's prompt again with the decision result replaced by the reviewer's choice, so the agent (and the
    /// offline model, which reads the latest prompt) continues with a usable answer instead of the escalating one.
    /// </summary>
    private static ChatMessage ChosenValueMessage(List<ChatMessage> conversation, EscalationChoices choices, string value, string? note)
    {
        var said = $"A reviewer approved {choices.DecisionName} as {(choices.Output is null ? "" : $"{choices.Output} = ")}\"{value}\"; use that result.{(note is null ? "" : $" {note}")}";
        var prompt = conversation.FirstOrDefault(m => m.Role == ChatRole.User && RunPrompt.TryParse(m.Text, out _, out _));
        if (prompt is null || !RunPrompt.TryParse(prompt.Text, out var input, out var facts))
        {
            return Guidance(said);
        }

        if (choices.Output is not null && facts[choices.Decision] is JsonObject result)
        {
            result[choices.Output] = value;
        }
        else
        {
            facts[choices.Decision] = value;
        }

        return new ChatMessage(ChatRole.User, RunPrompt.BuildUserMessage(input, facts, said));
    }

    private static void ReplaceArguments(List<ChatMessage> conversation, string callId, JsonObject arguments)
    {
        var values = arguments.ToDictionary(p => p.Key, p => (object?)(p.Value is null ? null : JsonSerializer.SerializeToElement(p.Value, AIJsonUtilities.DefaultOptions)));
        foreach (var content in conversation.LastOrDefault(m => m.Role == ChatRole.Assistant)?.Contents ?? [])
        {
            var call = content switch
            {
                FunctionCallContent c => c,
                ToolApprovalRequestContent { ToolCall: FunctionCallContent c } => c,
                _ => null,
            };
            if (call is not null && call.CallId == callId)
            {
                call.Arguments = new Dictionary<string, object?>(values);
            }
        }
    }

    /// <summary>Held calls a person took over are answered as declined, so the conversation stays well-formed for any later replay.</summary>
    private static void DeclineHeldCalls(List<ChatMessage> conversation, string reason)
    {
        var requests = conversation.LastOrDefault(m => m.Role == ChatRole.Assistant)?.Contents.OfType<ToolApprovalRequestContent>().ToList() ?? [];
        if (requests.Count > 0)
        {
            conversation.Add(new ChatMessage(ChatRole.User, [.. requests.Select(r => (AIContent)r.CreateResponse(false, reason))]));
        }
    }

    private sealed record Plan(string Outcome, Action<Run, DateTimeOffset>? Change = null, bool Resume = false)
    {
        public RunCommandResult? Refused { get; init; }
        public JsonObject? EditedArguments { get; init; }
        public string? ChosenValue { get; init; }

        public static Plan Refuse(RunCommandResult result) => new("") { Refused = result };

        public void Apply(Run run, DateTimeOffset now) => Change?.Invoke(run, now);
    }
}
