using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// The engine's OpenTelemetry signals: the run span (the parent of MEAI's <c>chat</c> and <c>execute_tool</c> spans,
/// named after the GenAI conventions' <c>invoke_agent</c>) and the metrics of runs, cost, tokens, escalations and
/// trigger events. Nothing is exported unless the host registers the OpenTelemetry SDK for these names.
/// </summary>
public sealed class EngineTelemetry : IDisposable
{
    /// <summary>The activity source of runs, model calls and tool calls (MEAI's <c>UseOpenTelemetry</c> uses it too).</summary>
    public const string SourceName = RunExecutor.ActivitySource;

    /// <summary>The meter of the engine's own metrics (MEAI's <c>gen_ai.client.*</c> metrics use <see cref="SourceName"/>).</summary>
    public const string MeterName = "AgentConsole.Engine";

    private static readonly ActivitySource Source = new(SourceName);

    private readonly Meter _meter;
    private readonly Counter<long> _runsEnded;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _triggerEvents;

    public EngineTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _runsEnded = _meter.CreateCounter<long>("agentconsole.runs.ended", "{run}", "Runs that ended, by agent and status.");
        _runDuration = _meter.CreateHistogram<double>("agentconsole.run.duration", "s", "Execution time of ended runs (waits for people excluded).");
        _cost = _meter.CreateCounter<double>("agentconsole.run.cost", "USD", "Model spend of ended runs.");
        _tokens = _meter.CreateCounter<long>("agentconsole.run.tokens", "{token}", "Tokens used by ended runs, by type (input/output).");
        _escalations = _meter.CreateCounter<long>("agentconsole.escalations.raised", "{escalation}", "Cases handed to people, by agent and kind.");
        _triggerEvents = _meter.CreateCounter<long>("agentconsole.trigger.events", "{event}", "Trigger events received, by trigger and outcome.");
    }

    /// <summary>Starts the span of one execution of a run; model and tool spans nest under it.</summary>
    public static Activity? StartRun(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var activity = Source.StartActivity($"invoke_agent {run.AgentKey}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "invoke_agent");
            activity.SetTag("gen_ai.agent.id", run.AgentKey);
            activity.SetTag("gen_ai.agent.name", run.AgentName);
            activity.SetTag("agentconsole.run.id", run.Id.ToString());
            activity.SetTag("agentconsole.run.execution", run.Executions + 1);
        }

        return activity;
    }

    /// <summary>Tags the run span with how the execution left the run.</summary>
    public static void EndRun(Activity? activity, Run run)
    {
        if (activity is null || run is null)
        {
            return;
        }

        activity.SetTag("agentconsole.run.status", run.Status.ToString());
        activity.SetTag("gen_ai.usage.input_tokens", run.InputTokens);
        activity.SetTag("gen_ai.usage.output_tokens", run.OutputTokens);
        activity.SetTag("agentconsole.run.cost_usd", (double)run.CostUsd);
        if (run.Status == RunStatus.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, run.Reason);
        }
    }

    internal void RunEnded(RunContribution run)
    {
        var agent = new KeyValuePair<string, object?>("agentconsole.agent", run.AgentKey);
        _runsEnded.Add(1, agent, new("agentconsole.run.status", run.Status.ToString()));
        _runDuration.Record(run.ActiveMilliseconds / 1000.0, agent, new("agentconsole.run.status", run.Status.ToString()));
        if (run.CostUsd != 0)
        {
            _cost.Add((double)run.CostUsd, agent, new("agentconsole.cost.estimated", run.Estimated));
        }

        _tokens.Add(run.InputTokens, agent, new("gen_ai.token.type", "input"));
        _tokens.Add(run.OutputTokens, agent, new("gen_ai.token.type", "output"));
    }

    public void EscalationRaised(string agentKey, string kind) =>
        _escalations.Add(1, new("agentconsole.agent", agentKey), new("agentconsole.escalation.kind", kind));

    public void TriggerEventReceived(string triggerKey, string outcome) =>
        _triggerEvents.Add(1, new("agentconsole.trigger", triggerKey), new("agentconsole.trigger.outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
