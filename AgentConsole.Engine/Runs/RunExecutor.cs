using System.ClientModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.DecisionTables;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs.Pipeline;
using AgentConsole.Engine.Runs.Redaction;
using AgentConsole.Engine.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Runs;

/// <summary>
/// Executes a run from wherever it stopped: decisions first (engine routes escalate without the model), then the
/// model pipeline until the agent answers, escalates or a limit stops it. Safe to call twice for the same run:
/// a run that is finished, waiting or leased by another executor is left alone, and completed tool calls are
/// replayed from the journal instead of performed again.
/// </summary>
public sealed partial class RunExecutor(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    ModelProviders models,
    DecisionCatalog decisions,
    DecisionWorkbench workbench,
    AuditLog audit,
    RunNotifications notifications,
    RunCancellations cancellations,
    IServiceProvider services,
    IOptions<RunOptions> runOptions,
    Redactors redactors,
    TimeProvider time,
    ILogger<RunExecutor> logger,
    EngineInstance instance,
    ToolRegistry tools,
    ToolInvoker toolInvoker,
    EscalationRaiser escalations)
{
    public const string ActivitySource = "AgentConsole.Runs";

    public async Task ExecuteAsync(Guid runId, CancellationToken shutdown = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(shutdown);
        await using var lease = await RunLease.AcquireAsync(dbFactory, db, runId, instance, runOptions.Value.LeaseDuration, time, logger, shutdown);
        if (lease is null)
        {
            LogNotClaimed(logger, runId);
            return;
        }

        var run = await RunQueries.TrackedRun(db, runId, shutdown);
        if (run.LeaseId != lease.Id)
        {
            // Taken over between the claim and the read (a stall longer than the lease): not this executor's run.
            LogLeaseLost(logger, runId);
            return;
        }

        using var cancel = cancellations.Register(runId);
        var clock = new ExecutionClock(time);
        lease.StartHeartbeat();
        using var span = Monitoring.EngineTelemetry.StartRun(run);
        try
        {
            await ExecuteClaimedAsync(db, run, lease, clock, cancel.Token, shutdown);
            Monitoring.EngineTelemetry.EndRun(span, run);
        }
        catch (Exception) when (lease.IsLost)
        {
            // Another executor owns the run now: whatever this one was doing, it stops without another write.
            LogLeaseLost(logger, runId);
            clock.Saved = true;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // The host is stopping: leave the run Running with its checkpoint; the next start reclaims it.
            LogInterrupted(logger, runId);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogExecutionFailed(logger, runId, ex);
            await FailAfterErrorAsync(lease, ex, clock);
        }
        finally
        {
            // Normally the save that ended the execution carried its active time; after an error or a shutdown it did not.
            if (!clock.Saved)
            {
                await AddActiveTimeAsync(lease, clock.Elapsed);
            }
        }
    }

    private async Task ExecuteClaimedAsync(AgentConsoleDbContext db, Run run, RunLease lease, ExecutionClock clock, CancellationToken cancelToken, CancellationToken shutdown)
    {
        var agent = await RunQueries.Agent(db, run.AgentKey, shutdown);
        var redactor = redactors.For(agent?.RedactionPatterns);
        var vault = RedactionVault.FromJson(redactor, run.RedactionJson);
        var provider = models.Resolve(agent?.Model);
        var session = new RunSession(db, run, agent ?? new Agent { Key = run.AgentKey, Name = run.AgentName }, provider ?? Fallback(agent?.Model),
            new RunRedaction(vault, run.CreatedBy, run.CancelRequestedBy), audit, time, notifications, lease, clock);
        await session.LoadAsync(shutdown);
        if (run.ReplayOf is { } source)
        {
            session.Recordings = await Evaluations.ToolRecordings.LoadAsync(db, source, shutdown);
        }

        if (run.CancelRequested)
        {
            await FinishAsync(session, RunStatus.Cancelled, $"Cancelled by {run.CancelRequestedBy}.", shutdown);
            return;
        }

        var firstExecution = run.Status == RunStatus.Queued;
        run.Start(session.Provider.Name, session.Provider.Model, time.GetUtcNow());
        session.AddStep(RunStepKind.Status, firstExecution ? "Run started" : $"Run resumed (execution {run.Executions})",
            new { provider = session.Provider.Name, model = session.Provider.Model, execution = run.Executions });
        if (agent is null)
        {
            await FinishAsync(session, RunStatus.Failed, $"The agent '{run.AgentKey}' no longer exists.", shutdown);
            return;
        }

        if (provider is null || !provider.IsConfigured)
        {
            await FinishAsync(session, RunStatus.Failed, provider?.NotConfiguredReason
                ?? $"The agent names model provider '{agent.Model}', which is not configured (AgentConsole:Models:Providers).", shutdown);
            return;
        }

        var toolbox = AgentToolbox.Build(session, runOptions.Value.ApprovalThresholdUsd, tools, toolInvoker);
        var conversation = RunSession.ReadConversation(run.ConversationJson);
        if (conversation.Count == 0)
        {
            var prompt = await Prompts.SystemPrompts.ForRunAsync(db, run, shutdown);
            var (facts, escalation) = await DecideAsync(session, shutdown);
            run.RecordConfiguration(agent.Revision, prompt?.Id, prompt?.Number, session.DecisionVersions);
            conversation = [new ChatMessage(ChatRole.System, Prompts.SystemPrompts.For(agent, prompt)), new ChatMessage(ChatRole.User, RunPrompt.BuildUserMessage(Input(run), facts))];
            session.Checkpoint(conversation);
            if (escalation is not null)
            {
                await EscalateAsync(session, escalation.Value.Kind, escalation.Value.Reason, null, shutdown, choices: escalation.Value.Choices);
                return;
            }

            await session.SaveAsync(shutdown);
        }
        else
        {
            if (await RestoreDanglingToolCallAsync(session, toolbox, conversation, shutdown) is { } interrupted)
            {
                session.Checkpoint(conversation);
                await EscalateAsync(session, EscalationKind.Interrupted, interrupted, null, shutdown);
                return;
            }

            await session.SaveAsync(shutdown);
        }

        if (session.ToolFailure is { } resentFailed)
        {
            session.Checkpoint(conversation);
            await EscalateAsync(session, EscalationKind.ToolFailure, resentFailed.Describe(), resentFailed.ToEscalationJson(session.Redact), shutdown);
            return;
        }

        await ConverseAsync(session, toolbox, conversation, cancelToken, shutdown);
    }

    private async Task ConverseAsync(RunSession session, AgentToolbox toolbox, List<ChatMessage> conversation, CancellationToken cancelToken, CancellationToken shutdown)
    {
        var run = session.Run;
        var remaining = run.WallClock(session.Agent.WallClockLimitSeconds) - TimeSpan.FromMilliseconds(run.ActiveMilliseconds);
        if (remaining <= TimeSpan.Zero)
        {
            await StopByLimitAsync(session, RunLimit.WallClock, WallClockMessage(session), shutdown);
            return;
        }

        using var wallClock = new CancellationTokenSource(remaining, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancelToken, wallClock.Token, shutdown, session.Lease.Lost);
        var redactor = redactors.For(session.Agent.RedactionPatterns);
        using var pipeline = new ChatClientBuilder(models.CreateClient(session.Provider))
            .UseFunctionInvocation(configure: f =>
            {
                f.FunctionInvoker = toolbox.InvokeAsync;
                // The step limit is enforced per model call by the limits middleware; this only bounds one request.
                f.MaximumIterationsPerRequest = Math.Max(1, session.MaxSteps - run.ModelCalls + 1);
                f.MaximumConsecutiveErrorsPerRequest = 3;
                f.AllowConcurrentInvocation = false;
            })
            .UseToolPolicy(toolbox)
            .UseRunCheckpoints(session)
            .UseRunLimits(session)
            .UseRedaction(redactor)
            .UseUsageAccounting(session)
            .UseOpenTelemetry(sourceName: ActivitySource, configure: o => o.EnableSensitiveData = false)
            .Build(services);

        var options = new ChatOptions
        {
            Tools = [.. toolbox.Functions],
            // One action at a time: each is journaled and checkpointed before the next is chosen.
            AllowMultipleToolCalls = false,
            MaxOutputTokens = session.Provider.MaxOutputTokens,
            ModelId = session.Provider.Model,
            AdditionalProperties = new AdditionalPropertiesDictionary { [RedactingChatClient.VaultKey] = session.Vault },
        };

        ChatResponse response;
        try
        {
            response = await pipeline.GetResponseAsync(conversation, options, linked.Token);
        }
        catch (RunLimitExceededException limit)
        {
            await StopByLimitAsync(session, limit.Limit, limit.Message, shutdown);
            return;
        }
        catch (OperationCanceledException ex) when (!shutdown.IsCancellationRequested && !session.Lease.IsLost)
        {
            var cancelRequested = cancelToken.IsCancellationRequested || await session.CancelRequestedAsync(shutdown);
            if (cancelRequested)
            {
                await FinishAsync(session, RunStatus.Cancelled, $"Cancelled by {await CancelledByAsync(session)}.", shutdown);
            }
            else if (wallClock.IsCancellationRequested)
            {
                await StopByLimitAsync(session, RunLimit.WallClock, WallClockMessage(session), shutdown);
            }
            else
            {
                // Nobody cancelled: the HTTP client gave up waiting for the provider.
                var message = $"The model call timed out after {session.Provider.Name}'s time-out ({ex.GetType().Name}).";
                session.AddStep(RunStepKind.Error, message, new { error = message }, isError: true);
                await EscalateAsync(session, EscalationKind.ModelError, message, null, shutdown);
            }

            return;
        }
        catch (Exception ex) when (!session.Lease.IsLost && ModelFailure.Classify(ex) is { } failure)
        {
            session.AddStep(RunStepKind.Error, failure.Message, new { error = session.Redact(failure.Message), status = failure.Status }, isError: true);
            if (failure.Transient)
            {
                await EscalateAsync(session, EscalationKind.ModelError, failure.Message, null, shutdown);
            }
            else
            {
                await FinishAsync(session, RunStatus.Failed, failure.Message, shutdown);
            }

            return;
        }

        conversation.AddRange(response.Messages);
        session.Checkpoint(conversation);
        var approvals = response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().ToList();
        if (approvals.Count > 0)
        {
            var call = approvals[0].ToolCall as FunctionCallContent;
            var (why, proposed) = toolbox.DescribeApproval(call);
            await EscalateAsync(session, EscalationKind.Approval, $"Approval needed to call {call?.Name}: {why}", proposed, shutdown);
            return;
        }

        if (session.ToolFailure is { } toolFailure)
        {
            await EscalateAsync(session, EscalationKind.ToolFailure, toolFailure.Describe(), toolFailure.ToEscalationJson(session.Redact), shutdown);
            return;
        }

        if (session.AgentEscalation is { } asked)
        {
            await EscalateAsync(session, EscalationKind.Agent, asked.Reason, null, shutdown, asked.Summary);
            return;
        }

        if (response.Messages.LastOrDefault()?.Contents.OfType<FunctionCallContent>().Any() == true)
        {
            // The function-invocation loop gave up (too many consecutive tool errors): a person must look.
            await EscalateAsync(session, EscalationKind.Agent, "The agent's tool calls kept failing.", null, shutdown);
            return;
        }

        var output = response.Text;
        if (session.Agent.Escalation?.LowConfidenceBelow is { } threshold && ReportedConfidence.Parse(output) is { } confidence && confidence < threshold)
        {
            var proposedAnswer = new JsonObject { ["output"] = session.Redact(output), ["confidence"] = confidence, ["threshold"] = threshold }.ToJsonString();
            await EscalateAsync(session, EscalationKind.LowConfidence,
                $"The agent reported a confidence of {confidence:0.##} in its answer, below the {threshold:0.##} its escalation policy requires.", proposedAnswer, shutdown);
            return;
        }

        session.AddStep(RunStepKind.Output, "Final answer", new { text = session.Redact(output) });
        session.Audit(AuditCategory.Trigger, "run.succeeded", $"Run of {run.AgentName} succeeded", new
        {
            output = session.Redact(output),
            steps = run.ModelCalls,
            toolCalls = run.ToolCalls,
            inputTokens = run.InputTokens,
            outputTokens = run.OutputTokens,
            costUsd = run.CostUsd,
        });
        run.Succeed(session.Redact(output), time.GetUtcNow());
        await session.SaveAsync(shutdown);
        LogRunFinished(logger, run.Id, run.Status);
    }

    /// <summary>Evaluates the agent's published decisions on the input; returns the facts and, if any, the route that escalates.</summary>
    private async Task<(JsonObject Facts, (EscalationKind Kind, string Reason, EscalationChoices? Choices)? Escalation)> DecideAsync(RunSession session, CancellationToken ct)
    {
        var run = session.Run;
        var facts = new JsonObject();
        (EscalationKind, string, EscalationChoices?)? escalation = null;
        var input = Input(run);
        var inputs = DecisionValues.ReadInputs(run.InputJson);
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var evaluation in EvaluateDecisionsAsync(run, inputs, ct))
        {
            var summary = evaluation.Decision.Decision;
            versions[summary.Key] = evaluation.Decision.Version.Number;

            var result = evaluation.Result;
            var value = evaluation.ResultJson;
            facts[summary.Key] = value?.DeepClone();
            var version = evaluation.Decision.Version.Number;
            var matched = result.MatchedRuleIds.ToArray();
            var detail = new
            {
                decision = summary.Key,
                name = summary.Name,
                version,
                inputs = session.Redact(input.DeepClone()),
                result = session.Redact(value?.DeepClone()),
                matchedRules = matched,
                error = result.Error?.Message,
            };
            var title = result.IsSuccess
                ? $"{summary.Name} v{version}: {Describe(value)}{(matched.Length > 0 ? $" (rule {string.Join(", ", matched)})" : "")}"
                : $"{summary.Name} v{version} failed: {result.Error!.Message}";
            session.AddStep(RunStepKind.Decision, title, detail, isError: !result.IsSuccess);
            session.Audit(AuditCategory.Decision, "decision.evaluated", title, detail);

            if (escalation is not null)
            {
                continue;
            }

            // A reviewer approves such a case as one of the decision's allowed outputs, so the agent gets a usable answer.
            var definition = evaluation.Decision.Definition;
            if (!result.IsSuccess)
            {
                escalation = (EscalationKind.Decision, $"Decision '{summary.Name}' could not decide: {result.Error!.Message}",
                    EscalationChoices.Of(summary.Key, definition, null, session.Agent.EngineRoutes));
            }
            else if (value is null)
            {
                escalation = (EscalationKind.Decision, $"Decision '{summary.Name}' matched no rule for this input, so no route is defined for it.",
                    EscalationChoices.Of(summary.Key, definition, null, session.Agent.EngineRoutes));
            }
            else if (MatchRoute(session.Agent, summary.Key, value) is { } route)
            {
                escalation = (EscalationKind.Route, $"Decision '{summary.Name}' routes this case to a person: {route.Text}.",
                    EscalationChoices.Of(summary.Key, definition, route.Output, session.Agent.EngineRoutes));
            }
        }

        run.RecordFacts(session.Redact(facts)!.ToJsonString());
        session.DecisionVersions = DecisionVersionMap.Write(versions);
        return (facts, escalation);
    }

    /// <summary>A production run evaluates the agent's published decisions; any other run exactly the versions it was pinned to.</summary>
    private async IAsyncEnumerable<DecisionEvaluation> EvaluateDecisionsAsync(Run run, IReadOnlyDictionary<string, object?> inputs,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (!run.IsProduction)
        {
            foreach (var (key, number) in DecisionVersionMap.Read(run.DecisionVersionsJson).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (await workbench.EvaluateAsync(key, inputs, number.ToString(CultureInfo.InvariantCulture), ct: ct) is { } pinned)
                {
                    yield return pinned;
                }
            }

            yield break;
        }

        foreach (var summary in await decisions.ListPublishedAsync(run.AgentKey, ct))
        {
            if (await workbench.EvaluatePublishedAsync(summary, inputs, ct) is { } evaluation)
            {
                yield return evaluation;
            }
        }
    }

    private static (string Text, string? Output)? MatchRoute(Agent agent, string decisionKey, JsonNode value)
    {
        foreach (var route in agent.EngineRoutes.Where(r => string.Equals(r.Decision, decisionKey, StringComparison.OrdinalIgnoreCase)))
        {
            var output = value is JsonObject o
                ? route.Output is null ? null : o[route.Output]
                : value;
            if (output is JsonValue v && v.TryGetValue<string>(out var text) && string.Equals(text.Trim(), route.Value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return (route.Output is null ? $"\"{text}\"" : $"{route.Output} = \"{text}\"", route.Output);
            }
        }

        return null;
    }

    /// <summary>
    /// A crash between a model turn and its tool call leaves the turn's call without a result. A journaled call gets
    /// its recorded result back; an unperformed one is dropped so the model chooses again. A call that was in flight
    /// (on record, no result) may have taken effect: a read, or a tool that honours idempotency keys, is sent again
    /// (under the same key, so its connector returns the first effect); any other is never performed again, and the
    /// reason to ask a person is returned.
    /// </summary>
    private static async Task<string?> RestoreDanglingToolCallAsync(RunSession session, AgentToolbox toolbox, List<ChatMessage> conversation, CancellationToken ct)
    {
        if (conversation.Count == 0 || conversation[^1].Role != ChatRole.Assistant)
        {
            return null;
        }

        var calls = conversation[^1].Contents.OfType<FunctionCallContent>().ToList();
        if (calls.Count == 0)
        {
            return null;
        }

        var journaled = calls.Select(c => session.Journaled(c.CallId)).ToList();
        var interrupted = new List<string?>();
        var resent = new List<string>();
        for (var i = 0; i < calls.Count; i++)
        {
            if (journaled[i] is not { InFlight: true } step)
            {
                continue;
            }

            // Reading has no effect to repeat; a tool that honours idempotency keys repeats none.
            if (await toolbox.CanResendAsync(calls[i].Name, ct))
            {
                await toolbox.ReperformAsync(step, calls[i], ct);
                resent.Add(calls[i].Name);
            }
            else
            {
                AgentToolbox.RecordUnknownOutcome(session, step);
                interrupted.Add(step.ToolName);
            }
        }

        if (journaled.All(j => j is not null))
        {
            conversation.Add(new ChatMessage(ChatRole.Tool,
                [.. calls.Select((c, i) => (AIContent)new FunctionResultContent(c.CallId, AgentToolbox.ReadJournal(journaled[i]!)))]));
            session.AddStep(RunStepKind.Status, interrupted.Count > 0
                ? $"Resumed after {string.Join(", ", interrupted)} was interrupted: whether it took effect is unknown, so it was not performed again"
                : resent.Count > 0
                    ? $"Resumed after {string.Join(", ", resent)}: sent again under its idempotency key, so it took effect once"
                    : $"Resumed after {string.Join(", ", calls.Select(c => c.Name))}: its recorded result was reused, not performed again");
        }
        else
        {
            conversation.RemoveAt(conversation.Count - 1);
            session.AddStep(RunStepKind.Status, "Resumed: the last model turn's tool call had not run, so the model is asked again");
        }

        return interrupted.Count == 0
            ? null
            : $"{string.Join(", ", interrupted)} was in flight when its executor stopped; whether it took effect is unknown, so it was not performed again. Check it, then let the run carry on.";
    }

    private async Task EscalateAsync(RunSession session, EscalationKind kind, string reason, string? proposed, CancellationToken ct, string? summary = null,
        RunLimit? limit = null, EscalationChoices? choices = null)
    {
        if (!EscalationRaiser.Escalates(session.Agent.Escalation, kind))
        {
            await FinishAsync(session, RunStatus.Failed, $"{reason} (The agent's escalation policy does not hand {EscalationRaiser.Describe(kind)} to a person, so the run fails.)", ct);
            return;
        }

        if (!session.Run.IsProduction)
        {
            escalations.StopWithoutReviewer(session, kind, reason, proposed, limit);
            await session.SaveAsync(ct);
            LogRunFinished(logger, session.Run.Id, session.Run.Status);
            return;
        }

        var escalation = await escalations.RaiseAsync(session, kind, reason, proposed, summary, limit, choices, ct);
        await session.SaveAsync(ct);
        escalations.Raised(escalation);
        LogRunFinished(logger, session.Run.Id, session.Run.Status);
    }

    private async Task StopByLimitAsync(RunSession session, RunLimit limit, string message, CancellationToken ct)
    {
        session.AddStep(RunStepKind.Limit, message, new { limit = limit.ToString(), steps = session.Run.ModelCalls, costUsd = session.Run.CostUsd, maxSteps = session.MaxSteps, budgetUsd = session.Budget }, isError: true);
        await EscalateAsync(session, EscalationKind.Limit, message, null, ct, limit: limit);
    }

    private async Task FinishAsync(RunSession session, RunStatus status, string reason, CancellationToken ct)
    {
        var run = session.Run;
        var now = time.GetUtcNow();
        reason = session.Redact(reason);
        session.AddStep(status == RunStatus.Cancelled ? RunStepKind.Human : RunStepKind.Error, reason, null, isError: status == RunStatus.Failed);
        session.Audit(AuditCategory.Trigger, status == RunStatus.Cancelled ? "run.cancelled" : "run.failed", $"Run of {run.AgentName}: {reason}");
        if (status == RunStatus.Cancelled)
        {
            run.Cancel(reason, now);
            await Escalation.CancelOpenAsync(session.Db, run.Id, run.CancelRequestedBy ?? "system", now, ct);
        }
        else
        {
            run.Fail(reason, now);
        }

        await session.SaveAsync(ct);
        LogRunFinished(logger, run.Id, run.Status);
    }

    private async Task FailAfterErrorAsync(RunLease lease, Exception ex, ExecutionClock clock)
    {
        var runId = lease.RunId;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var run = await db.Runs.SingleAsync(r => r.Id == runId);
            // Only the lease holder may end the run; the save below is fenced by the same token.
            if (run.LeaseId != lease.Id || !run.CanTransitionTo(RunStatus.Failed))
            {
                return;
            }

            run.AddActiveTime(clock.Elapsed);
            clock.Saved = true;

            // Exception text can quote anything the run handled; it is stored like every other text of the run.
            var redaction = RunRedaction.Load(redactors, run, (await RunQueries.Agent(db, run.AgentKey, CancellationToken.None))?.RedactionPatterns);
            var reason = redaction.Text($"Internal error: {ex.GetType().Name}: {ex.Message}");
            await RunStep.AppendAsync(db, redaction, runId, time.GetUtcNow(), RunStepKind.Error, reason, isError: true);
            audit.Record(db, redaction.Audit(new AuditEntry(AuditCategory.Trigger, "run.failed", AuditActor.Run(runId.ToString()), $"Run of {run.AgentName} failed: {ex.GetType().Name}", null, run.AgentKey, runId.ToString())));
            run.Fail(reason, time.GetUtcNow());
            await db.SaveChangesAsync();
            notifications.Publish(new RunUpdated(run.Id, run.AgentKey, run.Status));
        }
        catch (DbUpdateConcurrencyException)
        {
            // Taken over meanwhile: the new owner decides the run's fate.
            LogLeaseLost(logger, runId);
        }
        catch (Exception inner)
        {
            // The database itself is failing: rethrow so Hangfire retries the (idempotent) job later.
            LogCouldNotRecordFailure(logger, runId, inner);
            throw new AggregateException(ex, inner);
        }
    }

    private async Task AddActiveTimeAsync(RunLease lease, TimeSpan elapsed)
    {
        var runId = lease.RunId;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var ms = (long)elapsed.TotalMilliseconds;
            await db.Runs.Where(r => r.Id == runId && r.LeaseId == lease.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ActiveMilliseconds, r => r.ActiveMilliseconds + ms));
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogCouldNotRecordFailure(logger, runId, ex);
        }
    }

    private static async Task<string> CancelledByAsync(RunSession session)
    {
        var by = await session.Db.Runs.AsNoTracking().Where(r => r.Id == session.Run.Id).Select(r => r.CancelRequestedBy).FirstOrDefaultAsync() ?? "a user";
        session.Redaction.Keep(by);
        return by;
    }

    private static string WallClockMessage(RunSession session) =>
        $"The run reached its wall-clock limit of {session.Run.WallClock(session.Agent.WallClockLimitSeconds).TotalSeconds:0} s.";

    private static JsonObject Input(Run run) => JsonNode.Parse(run.InputJson) as JsonObject ?? [];

    private static string Describe(JsonNode? value) => value switch
    {
        null => "no rule matched",
        JsonValue v when v.TryGetValue<string>(out var s) => $"\"{s}\"",
        _ => value.ToJsonString(),
    };

    private static ModelProvider Fallback(string? name) =>
        new(name ?? "unknown", ModelProviderKind.OpenAI, name ?? "unknown", false, null, null, 0, 0, 1024);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} is finished, waiting or executed elsewhere; nothing to do")]
    private static partial void LogNotClaimed(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: this executor lost the lease to another and stopped without writing")]
    private static partial void LogLeaseLost(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} was interrupted by shutdown; it resumes from its checkpoint")]
    private static partial void LogInterrupted(ILogger logger, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed with an unexpected error")]
    private static partial void LogExecutionFailed(ILogger logger, Guid runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the outcome of run {RunId}")]
    private static partial void LogCouldNotRecordFailure(ILogger logger, Guid runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} is now {Status}")]
    private static partial void LogRunFinished(ILogger logger, Guid runId, RunStatus status);
}

/// <summary>What went wrong calling a model provider, in words an operator can act on.</summary>
internal sealed record ModelFailure(string Message, int? Status, bool Transient)
{
    public static ModelFailure? Classify(Exception ex) => ex switch
    {
        ClientResultException { Status: 401 or 403 } c => new($"The model provider refused the credentials (HTTP {c.Status}). Check the provider's API key.", c.Status, false),
        ClientResultException { Status: 429 } c => new("The model provider kept answering 429 Too Many Requests after retries.", c.Status, true),
        ClientResultException { Status: >= 500 } c => new($"The model provider kept failing with HTTP {c.Status} after retries.", c.Status, true),
        ClientResultException { Status: 0 } c => new($"The model provider could not be reached or timed out: {c.Message}", null, true),
        ClientResultException c => new($"The model provider rejected the request (HTTP {c.Status}): {c.Message}", c.Status, false),
        HttpRequestException h => new($"The model provider could not be reached: {h.Message}", null, true),
        // Nothing was sent: a custom pattern used up the scan budget; the message names the pattern and the setting.
        RedactionScanException scan => new(scan.Message, null, true),
        // A TimeoutException too, but nothing was sent: redaction gave up scanning (the machine was starved or a pattern is slow).
        System.Text.RegularExpressions.RegexMatchTimeoutException => new("Redaction could not finish scanning the conversation in time, so nothing was sent to the model.", null, true),
        TimeoutException or TaskCanceledException { InnerException: TimeoutException } => new("The model call timed out.", null, true),
        JsonException or FormatException or KeyNotFoundException or ArgumentOutOfRangeException =>
            new($"The model provider's answer could not be read ({ex.GetType().Name}: {ex.Message}).", null, false),
        _ => null,
    };
}
