using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Tools;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Models;

/// <summary>What the offline model answers: a text, a tool call, or a tool call with a remark.</summary>
internal sealed record OfflineStep(string? Text, FunctionCallContent? Call)
{
    public static OfflineStep Finish(string text) => new(text, null);
}

/// <summary>
/// Decides the offline model's next step from the whole conversation, in this order:
/// no trigger input → say so; the latest tool result is an error → escalate once; an escalation has a result
/// and no reviewer guidance came after it → stop and wait; a decision result says a person must decide →
/// escalate first; otherwise the next tool of the common path that has not succeeded yet; otherwise a summary.
/// </summary>
internal static class OfflinePlanner
{
    private static readonly string[] EscalationPhrases = ["human review", "manual review", "escalate"];

    public static OfflineStep Plan(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools, DateTimeOffset? now = null)
    {
        var promptIndex = -1;
        JsonObject? input = null;
        JsonObject? facts = null;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.User && RunPrompt.TryParse(messages[i].Text, out input, out facts))
            {
                promptIndex = i;
                break;
            }
        }

        if (promptIndex < 0 || input is null || facts is null)
        {
            return OfflineStep.Finish("The offline model found no trigger input in this conversation, so there is nothing to do.");
        }

        var guidance = new List<int>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRole.User && messages[i].Text.Contains(RunPrompt.GuidanceHeading, StringComparison.Ordinal))
            {
                guidance.Add(i);
            }
        }

        var history = OfflineHistory.Read(messages);
        var context = new OfflineContext(input, facts, history, guidance.Count > 0) { Guidance = [.. guidance.Select(i => messages[i].Text)], Now = now ?? DateTimeOffset.UnixEpoch };
        var escalate = tools.FirstOrDefault(t => t.Name == BuiltInTools.Escalate);
        var commonPath = tools.Where(t => t.Name is not (BuiltInTools.Escalate or BuiltInTools.EvaluateDecision)).ToList();
        bool GuidanceAfter(int index) => guidance.Exists(g => g > index);

        if (history.LatestResult is { } latest && !GuidanceAfter(latest.ResultIndex))
        {
            if (latest.Outcome == ToolOutcome.Error)
            {
                if (latest.Name == BuiltInTools.Escalate)
                {
                    return OfflineStep.Finish($"The escalation itself failed ({latest.Error}), so the run stops here for a person to look at.");
                }

                var reason = $"The tool {latest.Name} failed ({latest.Error}), so a person must decide how to continue with {context.Subject}.";
                return escalate is null
                    ? OfflineStep.Finish($"Stopped: {latest.Name} failed ({latest.Error}) and this agent has no {BuiltInTools.Escalate} tool.")
                    : Call(escalate, context, reason);
            }

            if (latest.Outcome == ToolOutcome.Rejected)
            {
                return OfflineStep.Finish($"Stopped: the call to {latest.Name} was rejected, so the run does not go on without a person.");
            }
        }

        if (history.Calls.LastOrDefault(c => c.Name == BuiltInTools.Escalate) is { } escalation)
        {
            if (escalation.Outcome == ToolOutcome.Pending && !GuidanceAfter(escalation.CallIndex))
            {
                return OfflineStep.Finish("Escalated to a reviewer; waiting for the escalation to be resolved.");
            }

            if (escalation.Outcome != ToolOutcome.Pending && !GuidanceAfter(escalation.ResultIndex))
            {
                var why = escalation.Call.Arguments?.TryGetValue("reason", out var r) == true ? OfflineJson.Display(OfflineJson.ToNode(r)) : "see the escalation";
                return OfflineStep.Finish($"Escalated to a reviewer: {why} The run waits for their decision.");
            }
        }
        else if (guidance.Count == 0 && FindEscalationSignal(facts) is { } signal)
        {
            var reason = $"Decision {signal.Decision}{(signal.Output is null ? "" : $" (output {signal.Output})")} says \"{signal.Value}\" for {context.Subject}, so a person must decide.";
            return escalate is null
                ? OfflineStep.Finish($"{reason} This agent has no {BuiltInTools.Escalate} tool, so it stops here.")
                : Call(escalate, context, reason);
        }

        if (commonPath.FirstOrDefault(t => !history.Succeeded(t.Name)) is { } next)
        {
            return Call(next, context, escalationReason: null);
        }

        return OfflineStep.Finish(context.Summary(commonPath.Select(t => t.Name).ToList()));
    }

    private static OfflineStep Call(AIFunctionDeclaration tool, OfflineContext context, string? escalationReason)
    {
        var missing = new List<string>();
        var arguments = OfflineArguments.Bind(tool, context, escalationReason, missing);
        var call = new FunctionCallContent($"offline-call-{context.History.Calls.Count + 1}", tool.Name, arguments);
        var text = missing.Count == 0
            ? null
            : $"No value found for required parameter{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} of {tool.Name} in the input, the decision results or earlier tool results; passing null.";
        return new OfflineStep(text, call);
    }

    private sealed record EscalationSignal(string Decision, string? Output, string Value);

    private static EscalationSignal? FindEscalationSignal(JsonObject facts)
    {
        foreach (var (decision, result) in facts)
        {
            if (FindPhrase(result, null) is { } found)
            {
                return new EscalationSignal(decision, found.Output, found.Value);
            }
        }

        return null;
    }

    private static (string? Output, string Value)? FindPhrase(JsonNode? node, string? output)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                return Array.Exists(EscalationPhrases, p => text.Contains(p, StringComparison.OrdinalIgnoreCase)) ? (output, text) : null;
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (FindPhrase(child, name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (FindPhrase(child, output) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}

internal enum ToolOutcome
{
    Pending,
    Succeeded,
    Error,
    Rejected,
}

internal sealed class ToolStep(FunctionCallContent call, int callIndex)
{
    public FunctionCallContent Call { get; } = call;
    public string Name => Call.Name;
    public int CallIndex { get; } = callIndex;
    public FunctionResultContent? Result { get; private set; }
    public int ResultIndex { get; private set; } = -1;
    public int ResultOrder { get; private set; } = -1;
    public ToolOutcome Outcome { get; private set; } = ToolOutcome.Pending;
    public string? Error { get; private set; }

    /// <summary>The result as JSON, for later tools' arguments; null unless it succeeded.</summary>
    public JsonNode? Value { get; private set; }

    public void Complete(FunctionResultContent result, int index, int order)
    {
        Result = result;
        ResultIndex = index;
        ResultOrder = order;
        var value = OfflineJson.ToNode(result.Result);
        if (result.Exception is { } exception)
        {
            Outcome = ToolOutcome.Error;
            Error = exception.Message;
        }
        else if (value is JsonObject obj && obj.FirstOrDefault(p => string.Equals(p.Key, "error", StringComparison.OrdinalIgnoreCase)) is { Key: not null } error
                 && error.Value is not null && !(error.Value is JsonValue v && v.GetValueKind() == JsonValueKind.False))
        {
            Outcome = ToolOutcome.Error;
            Error = OfflineJson.Display(error.Value);
        }
        else if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String && text.GetValue<string>() is var s
                 && s.TrimStart().StartsWith("Error", StringComparison.OrdinalIgnoreCase))
        {
            Outcome = ToolOutcome.Error;
            Error = s.Trim();
        }
        else if (value is JsonValue rejected && rejected.GetValueKind() == JsonValueKind.String && rejected.GetValue<string>() is var t
                 && t.StartsWith("Tool call invocation", StringComparison.OrdinalIgnoreCase) && t.Contains("rejected", StringComparison.OrdinalIgnoreCase))
        {
            // FunctionInvokingChatClient's answer when an approver said no; calling the tool again would only be refused again.
            Outcome = ToolOutcome.Rejected;
            Error = t;
        }
        else
        {
            Outcome = ToolOutcome.Succeeded;
            Value = value;
        }
    }
}

/// <summary>The function calls of a conversation with their results, matched by call id.</summary>
internal sealed class OfflineHistory
{
    public List<ToolStep> Calls { get; } = [];

    public ToolStep? LatestResult => Calls.Where(c => c.Outcome != ToolOutcome.Pending).MaxBy(c => c.ResultOrder);

    public bool Succeeded(string name) => Calls.Exists(c => c.Name == name && c.Outcome == ToolOutcome.Succeeded);

    public static OfflineHistory Read(IReadOnlyList<ChatMessage> messages)
    {
        var history = new OfflineHistory();
        var order = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            foreach (var content in messages[i].Contents)
            {
                switch (content)
                {
                    case FunctionCallContent call:
                        history.Calls.Add(new ToolStep(call, i));
                        break;
                    case FunctionResultContent result:
                        // A call id can repeat when a client reuses ids across turns; the result belongs to the
                        // latest open call with that id.
                        var step = history.Calls.LastOrDefault(c => c.Call.CallId == result.CallId && c.Outcome == ToolOutcome.Pending);
                        step?.Complete(result, i, order++);
                        break;
                }
            }
        }

        return history;
    }
}
