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
/// function-invocation middleware calls: journal first, then the tool, then one transaction with the step and audit.
/// </summary>
internal sealed class AgentToolbox
{
    private readonly RunSession _session;
    private readonly IServiceProvider _services;

    private AgentToolbox(RunSession session, IServiceProvider services, IReadOnlyList<AIFunction> functions)
    {
        (_session, _services, Functions) = (session, services, functions);
    }

    public IReadOnlyList<AIFunction> Functions { get; }

    public static AgentToolbox Build(RunSession session, decimal approvalThresholdUsd, IServiceProvider services)
    {
        var names = session.Agent.Tools.Where(ToolCatalog.IsKnown).ToList();
        foreach (var builtIn in new[] { BuiltInTools.EvaluateDecision, BuiltInTools.Escalate })
        {
            if (!names.Contains(builtIn))
            {
                names.Add(builtIn);
            }
        }

        var functions = new List<AIFunction>();
        foreach (var descriptor in names.Select(n => ToolCatalog.Find(n)!))
        {
            AIFunction function = new ToolFunction(descriptor);
            if (ToolPolicy.ApprovalReason(descriptor, session.Agent.AutonomyLevel, approvalThresholdUsd) is not null)
            {
                function = new ApprovalRequiredAIFunction(function);
            }

            functions.Add(function);
        }

        return new AgentToolbox(session, services, functions);
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

        var descriptor = ToolCatalog.Find(call.Name);
        var arguments = new JsonObject();
        foreach (var (name, value) in context.Arguments)
        {
            arguments[name] = value switch
            {
                null => null,
                JsonElement e => JsonNode.Parse(e.GetRawText()),
                JsonNode n => n.DeepClone(),
                _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions),
            };
        }

        // On record before it starts, in a save fenced by the lease: an executor that lost the run stops here, and one
        // that takes the run over later sees the call may have happened and does not repeat it.
        var step = session.AddStep(RunStepKind.ToolCall, $"{call.Name} in progress",
            new { tool = call.Name, callId = call.CallId, arguments = session.Redact(arguments.DeepClone()) });
        step.ToolName = call.Name;
        step.CallId = call.CallId;
        step.InFlight = true;
        session.Journal(step);
        // Refused (the database, not the lease), the call must not reach the model as a failed tool call either: the
        // model would ask again, and the unsaved in-flight record would be written later and never settle.
        await SaveOrStopAsync(session, ct);

        var started = session.Time.GetTimestamp();
        JsonNode? result;
        string? error = null;
        try
        {
            result = descriptor is null
                ? throw new InvalidOperationException($"The agent has no tool '{call.Name}'.")
                : await descriptor.Handler(arguments, new ToolInvocation(session.Run.Id, session.Agent.Key, call.CallId, _services), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = ex.Message;
            result = new JsonObject { ["error"] = ex.Message };
        }

        var elapsed = session.Time.GetElapsedTime(started);
        var redactedArguments = session.Redact(arguments.DeepClone());
        var redactedResult = session.Redact(result?.DeepClone());
        var title = error is null
            ? $"{call.Name} done in {elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
            : $"{call.Name} failed: {session.Redact(error)}";
        var detail = new { tool = call.Name, callId = call.CallId, arguments = redactedArguments, result = redactedResult, error = error is null ? null : session.Redact(error), durationMs = (long)elapsed.TotalMilliseconds };
        step.Title = RunStep.FitTitle(title);
        step.DetailJson = JsonSerializer.Serialize(detail, AIJsonUtilities.DefaultOptions);
        step.IsError = error is not null;
        step.InFlight = false;
        step.JournalJson = result?.ToJsonString() ?? "null";
        step.DurationMs = (long)elapsed.TotalMilliseconds;
        session.Update(step);
        session.Run.RecordToolCall();
        session.Audit(AuditCategory.Tool, error is null ? "tool.called" : "tool.failed", title, detail);

        if (call.Name == BuiltInTools.Escalate && error is null)
        {
            session.AgentEscalation = (Text(arguments, "reason") ?? "The agent asked for a person.", Text(arguments, "summary"));
            // The run pauses here; the model is not asked again until a reviewer decides.
            context.Terminate = true;
        }

        // The tool took effect; if its outcome cannot be put on record, the execution stops rather than letting the model
        // hear "failed" and call it again (a second side effect). The call stays in flight on record, so whoever resumes
        // the run once the lease lapses asks a person instead of performing it again.
        await SaveOrStopAsync(session, ct);

        return JsonSerializer.SerializeToElement(result, AIJsonUtilities.DefaultOptions);
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

    /// <summary>A catalog tool as an MEAI function; its handler runs through <see cref="InvokeAsync"/>.</summary>
    private sealed class ToolFunction(ToolDescriptor descriptor) : AIFunction
    {
        public override string Name => descriptor.Name;

        public override string Description => descriptor.Description;

        public override JsonElement JsonSchema => descriptor.Schema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            // Only reached when something other than the run's invoker calls the function (e.g. a test harness).
            var args = new JsonObject();
            foreach (var (name, value) in arguments)
            {
                args[name] = JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions);
            }

            var callId = FunctionInvokingChatClient.CurrentContext?.CallContent.CallId ?? "direct";
            var services = arguments.Services ?? EmptyServices.Instance;
            return await descriptor.Handler(args, new ToolInvocation(Guid.Empty, "", callId, services), cancellationToken);
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
