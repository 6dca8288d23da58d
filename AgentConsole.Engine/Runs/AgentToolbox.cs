using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Tools;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// The agent's granted tools as <see cref="AIFunction"/>s for one execution, policy applied (actions above the
/// agent's autonomy, irreversible or costly to undo become approval-required functions), and the invoker the
/// function-invocation middleware calls: journal first, then the tool through <see cref="ToolInvoker"/> (schema,
/// resilience, connector), then one transaction with the step and audit.
/// </summary>
internal sealed class AgentToolbox
{
    private readonly RunSession _session;
    private readonly ToolInvoker _invoker;
    private readonly Dictionary<string, (ToolDefinition Tool, ToolScope Scope)> _visible;
    private readonly Dictionary<string, (string Reason, CallStakes? Stakes)> _approvalReasons = new(StringComparer.Ordinal);

    private AgentToolbox(RunSession session, ToolInvoker invoker, ToolRegistry registry, decimal approvalThresholdUsd,
        Dictionary<string, (ToolDefinition, ToolScope)> visible, IReadOnlyList<AIFunction> functions)
    {
        (_session, _invoker, Registry, ApprovalThresholdUsd, _visible, Functions) = (session, invoker, registry, approvalThresholdUsd, visible, functions);
    }

    public IReadOnlyList<AIFunction> Functions { get; }

    public ToolRegistry Registry { get; }

    public decimal ApprovalThresholdUsd { get; }

    public RunSession Session => _session;

    public static AgentToolbox Build(RunSession session, decimal approvalThresholdUsd, ToolRegistry registry, ToolInvoker invoker)
    {
        var visible = new Dictionary<string, (ToolDefinition, ToolScope)>(StringComparer.Ordinal);
        var functions = new List<AIFunction>();
        var policy = session.Agent.Escalation ?? new Escalations.EscalationPolicy();
        foreach (var (tool, scope) in registry.Visible(session.Agent.Tools))
        {
            if (tool.Key == BuiltInTools.Escalate && !policy.AllowAgentRequests)
            {
                // The policy does not let this agent hand cases over itself: the model is not offered the tool.
                continue;
            }

            visible[tool.Key] = (tool, scope);
            AIFunction function = new ToolFunction(tool);
            if (ToolPolicy.ApprovalReasonFor(session.Agent, tool, scope, approvalThresholdUsd) is not null)
            {
                function = new ApprovalRequiredAIFunction(function);
            }

            functions.Add(function);
        }

        return new AgentToolbox(session, invoker, registry, approvalThresholdUsd, visible, functions);
    }

    /// <summary>Why a call needs a person's approval: the engine's policy first, then the agent's escalation policy; null when it may run alone.</summary>
    public string? ApprovalReason(ToolDefinition tool, ToolScope scope, CallStakes? stakes = null) =>
        ToolPolicy.ApprovalReasonFor(_session.Agent, tool, scope, ApprovalThresholdUsd, stakes);

    /// <summary>The grant behind a tool name the model used, or null when the agent was not granted it.</summary>
    public (ToolDefinition Tool, ToolScope Scope)? Granted(string name) => _visible.TryGetValue(name, out var v) ? v : null;

    /// <summary>Remembers why a call needs approval when the reason depends on its arguments (see <see cref="ToolPolicyChatClient"/>).</summary>
    public void NoteApproval(string callId, string reason, CallStakes? stakes) => _approvalReasons[callId] = (reason, stakes);

    /// <summary>What a reviewer sees for a call waiting for approval: why, and the call with its reversibility and cost to undo.</summary>
    public (string Reason, string ProposedJson) DescribeApproval(FunctionCallContent? call)
    {
        var granted = call is null ? null : Granted(call.Name);
        string reason;
        CallStakes? stakes = null;
        if (call is not null && _approvalReasons.TryGetValue(call.CallId, out var noted))
        {
            (reason, stakes) = noted;
        }
        else
        {
            reason = granted is { } g
                ? ApprovalReason(g.Tool, g.Scope) ?? "The tool needs a person's approval."
                : "The tool needs a person's approval.";
        }

        var tool = granted?.Tool;
        var proposed = new JsonObject
        {
            ["tool"] = call?.Name,
            ["title"] = tool?.Title,
            ["arguments"] = _session.Redact(JsonSerializer.SerializeToNode(call?.Arguments, AIJsonUtilities.DefaultOptions)),
            ["access"] = tool is null ? null : tool.EffectiveAccess(granted!.Value.Scope).ToString().ToLowerInvariant(),
            ["reach"] = tool?.Reach.ToString().ToLowerInvariant(),
            ["reversible"] = tool?.Reversible,
            ["costToUndoUsd"] = tool is null ? null : Math.Max(tool.CostToUndoUsd, stakes?.CostToUndoUsd ?? 0),
            ["stakes"] = stakes?.Reason,
            ["connection"] = tool?.Connection,
            ["reason"] = reason,
        };
        return (reason, proposed.ToJsonString());
    }

    public static JsonElement ReadJournal(RunStep step) =>
        JsonDocument.Parse(step.JournalJson ?? "null").RootElement.Clone();

    public async ValueTask<object?> InvokeAsync(FunctionInvocationContext context, CancellationToken ct)
    {
        var call = context.CallContent;
        var session = _session;
        if (session.Journaled(call.CallId) is { } done && done.ToolName == call.Name)
        {
            // Performed before a crash or a pause: the side effect happened once, its result is reused. A call another
            // executor left in flight is not performed again either (at most once); the executor escalates those.
            return done.InFlight ? JsonSerializer.SerializeToElement(UnknownOutcome(call.Name), AIJsonUtilities.DefaultOptions) : ReadJournal(done);
        }

        if (await session.CancelRequestedAsync(ct))
        {
            throw new OperationCanceledException("The run was cancelled.");
        }

        var arguments = ToJson(context.Arguments);
        if (Granted(call.Name) is not { } granted)
        {
            // The policy middleware refuses and audits ungranted calls before they get here; this is the engine's last word.
            return JsonSerializer.SerializeToElement(Refuse(call.Name, arguments), AIJsonUtilities.DefaultOptions);
        }

        // On record before it starts, in a save fenced by the lease: an executor that lost the run stops here, and one
        // that takes the run over later sees the call may have happened and does not repeat it (or, for a tool that
        // honours idempotency keys, sends it again under the same key).
        var step = session.AddStep(RunStepKind.ToolCall, $"{call.Name} in progress",
            new { tool = call.Name, callId = call.CallId, arguments = session.Redact(arguments.DeepClone()) });
        step.ToolName = call.Name;
        step.CallId = call.CallId;
        step.InFlight = true;
        session.Journal(step);
        // Refused (the database, not the lease), the call must not reach the model as a failed tool call either: the
        // model would ask again, and the unsaved in-flight record would be written later and never settle.
        await SaveOrStopAsync(session, ct);

        // On record as in flight, the call is carried through (bounded by its own time-outs) and its outcome journaled even
        // when the run is cancelled meanwhile: an effect abandoned half-way would be neither done nor undone. Only losing
        // the lease stops it, because another executor owns the run then.
        var result = await PerformAsync(step, granted.Tool, granted.Scope, call.CallId, arguments, session.Lease.Lost);
        if (call.Name == BuiltInTools.Escalate && step.IsError == false)
        {
            session.AgentEscalation = (Text(arguments, "reason") ?? "The agent asked for a person.", Text(arguments, "summary"));
            // The run pauses here; the model is not asked again until a reviewer decides.
            context.Terminate = true;
        }

        if (session.ToolFailure is not null)
        {
            // Retries are spent (or cannot help): a person decides; the model is not asked to work around it.
            context.Terminate = true;
        }

        return JsonSerializer.SerializeToElement(result, AIJsonUtilities.DefaultOptions);
    }

    /// <summary>Whether a call of this tool left in flight may be sent again (see <see cref="ToolInvoker.CanResendAsync"/>).</summary>
    public async Task<bool> CanResendAsync(string name, CancellationToken ct) =>
        Granted(name) is { } granted && await _invoker.CanResendAsync(granted.Tool, granted.Scope, ct);

    /// <summary>
    /// Performs a call that was left in flight by a stopped executor, under the same call id and so the same
    /// idempotency key: a connector that honours it gives back the first effect instead of making a second one.
    /// </summary>
    public async Task<JsonNode?> ReperformAsync(RunStep step, FunctionCallContent call, CancellationToken ct)
    {
        var granted = Granted(call.Name) ?? throw new InvalidOperationException($"'{call.Name}' is not granted any more.");
        AddResumeNote(step);
        ct.ThrowIfCancellationRequested();
        return await PerformAsync(step, granted.Tool, granted.Scope, call.CallId, ToJson(call.Arguments), _session.Lease.Lost);
    }

    private void AddResumeNote(RunStep step) =>
        _session.AddStep(RunStepKind.Status, $"{step.ToolName} was in flight when its executor stopped; sent again under the same idempotency key, so it takes effect at most once");

    /// <summary>Runs the connector (schema, resilience) and settles the in-flight step with the outcome, in one save with its audit.</summary>
    private async Task<JsonNode?> PerformAsync(RunStep step, ToolDefinition tool, ToolScope scope, string callId, JsonObject arguments, CancellationToken ct)
    {
        var session = _session;
        var started = session.Time.GetTimestamp();
        // A replay answers from the historical run's records (the engine's own tools still run: they have no effect
        // outside the run); every other non-production run reaches connections in sandbox mode only.
        var outcome = session.Recordings is { } recordings && Registry.ConnectorOf(tool) is not Tools.BuiltIn.BuiltInConnector
            ? recordings.Answer(tool.Key, session.Redact(arguments.DeepClone()))
            : await _invoker.InvokeAsync(tool, scope, arguments, session.Run.Id, session.Agent.Key, callId,
                (attempt, token) => RecordAttemptAsync(tool, callId, attempt, token), sandboxOnly: !session.Run.IsProduction, ct);

        var elapsed = session.Time.GetElapsedTime(started);
        JsonNode? result = outcome.Succeeded ? outcome.Result : new JsonObject { ["error"] = outcome.Error };
        var error = outcome.Error;
        var redactedArguments = session.Redact(arguments.DeepClone());
        var redactedResult = session.Redact(result?.DeepClone());
        var title = error is null
            ? $"{tool.Key} done in {elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms{(outcome.Attempts > 1 ? $" after {outcome.Attempts} attempts" : "")}"
            : outcome.Failure == ToolFailureKind.InvalidArguments
                ? $"{tool.Key} refused: {session.Redact(error)}"
                : $"{tool.Key} failed: {session.Redact(error)}";
        var detail = new
        {
            tool = tool.Key,
            callId,
            connection = tool.Connection,
            arguments = redactedArguments,
            result = redactedResult,
            error = error is null ? null : session.Redact(error),
            failure = outcome.Failure?.ToString(),
            attempts = outcome.Attempts,
            durationMs = (long)elapsed.TotalMilliseconds,
        };
        step.Title = RunStep.FitTitle(title);
        step.DetailJson = JsonSerializer.Serialize(detail, AIJsonUtilities.DefaultOptions);
        step.IsError = error is not null;
        step.InFlight = false;
        step.JournalJson = result?.ToJsonString() ?? "null";
        step.DurationMs = (long)elapsed.TotalMilliseconds;
        session.Update(step);
        session.Run.RecordToolCall();
        session.Audit(AuditCategory.Tool, error is null ? "tool.called" : outcome.Failure == ToolFailureKind.InvalidArguments ? "tool.refused" : "tool.failed", title, detail);
        if (outcome.Failure is ToolFailureKind.Transient or ToolFailureKind.Permanent)
        {
            session.ToolFailure = new ToolFailure(tool.Key, callId, outcome.Failure.Value, outcome.Attempts, session.Redact(error!));
        }

        // The tool took effect; if its outcome cannot be put on record, the execution stops rather than letting the model
        // hear "failed" and call it again (a second side effect). The call stays in flight on record, so whoever resumes
        // the run once the lease lapses asks a person (or resends under the same idempotency key).
        await SaveOrStopAsync(session, ct);
        return result;
    }

    /// <summary>Every failed attempt is a timeline entry and an audit event, saved as it happens (the lease fences it).</summary>
    private async ValueTask RecordAttemptAsync(ToolDefinition tool, string callId, ToolAttempt attempt, CancellationToken ct)
    {
        var session = _session;
        var next = attempt.RetryIn is { } wait ? $"; retrying in {wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s" : "";
        var title = $"{tool.Key} attempt {attempt.Attempt} failed: {session.Redact(attempt.Error)}{next}";
        var detail = new { tool = tool.Key, callId, attempt = attempt.Attempt, error = session.Redact(attempt.Error), status = attempt.Status, retryInMs = (long?)attempt.RetryIn?.TotalMilliseconds };
        session.AddStep(RunStepKind.Status, title, detail, isError: true);
        session.Audit(AuditCategory.Tool, "tool.attempt.failed", title, detail);
        await SaveOrStopAsync(session, ct);
    }

    /// <summary>A call to a tool the agent was not granted: refused, on the timeline and in the audit log.</summary>
    public JsonObject Refuse(string name, JsonObject? arguments)
    {
        var session = _session;
        var known = Registry.IsKnown(name);
        var message = known
            ? $"The agent is not granted the tool '{name}'; the call was refused. Use only the tools you are given."
            : $"There is no tool '{name}'; the call was refused. Use only the tools you are given.";
        var detail = new { tool = name, arguments = session.Redact(arguments?.DeepClone()), reason = message };
        session.AddStep(RunStepKind.ToolCall, $"{name} refused: not granted", detail, isError: true);
        session.Audit(AuditCategory.Security, "tool.refused", $"Call to {name} refused: not granted to {session.Agent.Key}", detail);
        return new JsonObject { ["error"] = message };
    }

    /// <summary>A model's call arguments as JSON (the policy middleware and the toolbox read them the same way).</summary>
    internal static JsonObject ToJson(IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        var json = new JsonObject();
        foreach (var (name, value) in arguments ?? [])
        {
            json[name] = value switch
            {
                null => null,
                JsonElement e => JsonNode.Parse(e.GetRawText()),
                JsonNode n => n.DeepClone(),
                _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions),
            };
        }

        return json;
    }

    /// <summary>
    /// Saves a tool call's record, or stops this execution when the database refuses it: thrown as is, the
    /// function-invocation loop would turn the error into a tool result for the model. Marking the lease lost makes
    /// the executor write nothing more; the run resumes from its last checkpoint once the lease lapses.
    /// </summary>
    private static async Task SaveOrStopAsync(RunSession session, CancellationToken ct)
    {
        try
        {
            await session.SaveAsync(ct);
        }
        catch (Exception ex) when (ex is not RunLeaseLostException and not OperationCanceledException)
        {
            session.Lease.MarkLost();
            throw;
        }
    }

    /// <summary>
    /// Settles a call another executor left in flight: it stays performed at most once, its outcome recorded as unknown
    /// (the model is told so, a person is asked to check).
    /// </summary>
    public static void RecordUnknownOutcome(RunSession session, RunStep step)
    {
        var result = UnknownOutcome(step.ToolName ?? "the tool");
        step.Title = RunStep.FitTitle($"{step.ToolName} interrupted: outcome unknown, not performed again");
        step.IsError = true;
        step.InFlight = false;
        step.JournalJson = result.ToJsonString();
        session.Update(step);
        session.Audit(AuditCategory.Tool, "tool.interrupted", step.Title, new { tool = step.ToolName, callId = step.CallId });
    }

    private static JsonObject UnknownOutcome(string tool) => new()
    {
        ["error"] = $"{tool} was interrupted before its result was recorded; whether it took effect is unknown, and it was not performed again.",
    };

    private static string? Text(JsonObject args, string name) =>
        args[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    /// <summary>A registered tool as an MEAI function; the run's invoker performs it (see <see cref="InvokeAsync"/>).</summary>
    private sealed class ToolFunction(ToolDefinition tool) : AIFunction
    {
        public override string Name => tool.Key;

        public override string Description => tool.Description;

        public override JsonElement JsonSchema => tool.Schema;

        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{tool.Key} runs only through a run's tool invoker, which journals it.");
    }
}
