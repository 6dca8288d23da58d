using System.Diagnostics;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Runs;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AgentConsole.Tests.Monitoring;

/// <summary>With the OpenTelemetry SDK listening, a run is one trace (run → model calls → tool calls) and its figures are metrics.</summary>
public sealed class EngineTelemetryTests
{
    private const string MidMarketLead = """{"name":"Dana Lee","email":"dana@acme.example","company":"Acme GmbH","employees":42,"industry":"Software"}""";

    [Fact]
    public async Task Run_IsOneTraceOfModelAndToolSpans_AndEndsAsMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var host = await RunHost.StartWithAsync(services => services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(EngineTelemetry.SourceName).AddInMemoryExporter(spans))
            .WithMetrics(m => m.AddMeter(EngineTelemetry.MeterName, EngineTelemetry.SourceName).AddInMemoryExporter(metrics)));

        var agent = await UniqueAgentAsync(host);
        var id = await host.StartRunAsync(agent, MidMarketLead);
        var detail = await host.ExecuteAsync(id);
        Assert.Equal(RunStatus.Succeeded, detail.Run.Status);
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var run = Assert.Single(spans, s => s.GetTagItem("agentconsole.run.id") as string == id.ToString());
        Assert.Equal($"invoke_agent {agent}", run.DisplayName);
        Assert.Equal("Succeeded", run.GetTagItem("agentconsole.run.status"));
        var trace = spans.Where(s => s.TraceId == run.TraceId).ToList();
        // MEAI's GenAI spans: a chat span per model call and an execute_tool span per tool call, all under the run.
        var chats = trace.Where(s => s.GetTagItem("gen_ai.operation.name") as string == "chat").ToList();
        var tools = trace.Where(s => s.GetTagItem("gen_ai.operation.name") as string == "execute_tool").ToList();
        Assert.Equal(detail.Run.ModelCalls, chats.Count);
        var called = detail.Steps.Where(s => s.Kind == RunStepKind.ToolCall).Select(s => s.ToolName).ToList();
        Assert.Contains("crm_update_lead", called);
        Assert.Equal(called, tools.OrderBy(t => t.StartTimeUtc).Select(t => t.GetTagItem("gen_ai.tool.name") as string));
        Assert.All(chats.Concat(tools), s => Assert.True(DescendsFrom(s, run, trace), $"{s.DisplayName} is not under the run span"));
        // Prompts and responses are not exported (EnableSensitiveData is off).
        Assert.DoesNotContain(trace.SelectMany(s => s.Tags), t => t.Key.StartsWith("gen_ai.input.messages", StringComparison.Ordinal) || t.Key.StartsWith("gen_ai.output.messages", StringComparison.Ordinal));

        Assert.Equal(1, Sum(metrics, "agentconsole.runs.ended", agent));
        Assert.Equal((double)detail.Run.CostUsd, SumDouble(metrics, "agentconsole.run.cost", agent), 6);
        Assert.Equal(detail.Run.InputTokens + detail.Run.OutputTokens, Sum(metrics, "agentconsole.run.tokens", agent));
        Assert.Single(Points(metrics, "agentconsole.run.duration", agent));
    }

    [Fact]
    public async Task Escalation_IsCountedByKind()
    {
        var metrics = new List<Metric>();
        await using var host = await RunHost.StartWithAsync(services => services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter(EngineTelemetry.MeterName).AddInMemoryExporter(metrics)));

        // The agent's policy sends its CRM update to a reviewer.
        var agent = await UniqueAgentAsync(host, d => d.Escalation.ApprovalTools = ["crm_update_lead"]);
        var id = await host.StartRunAsync(agent, MidMarketLead);
        Assert.Equal(RunStatus.WaitingForHuman, (await host.ExecuteAsync(id)).Run.Status);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var points = Points(metrics, "agentconsole.escalations.raised", agent);
        var point = Assert.Single(points);
        Assert.Equal(1, point.GetSumLong());
        Assert.Contains(Tags(point), t => t.Key == "agentconsole.escalation.kind" && (string?)t.Value == "Approval");
    }

    private static bool DescendsFrom(Activity span, Activity ancestor, List<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; parent != default; parent = byId.TryGetValue(parent, out var p) ? p.ParentSpanId : default)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The demo agent under a key of its own: meters and activity sources are process-wide, and other tests run the demo agent meanwhile.</summary>
    private static async Task<string> UniqueAgentAsync(RunHost host, Action<Engine.Agents.AgentDefinition>? change = null)
    {
        var definition = DemoWorkspace.LeadRouter();
        change?.Invoke(definition);
        definition.Key = "otel-" + Guid.NewGuid().ToString("N")[..8];
        definition.Name = "Telemetry " + definition.Key;
        return (await host.CreateAgentAsync(definition)).Key;
    }

    private static List<MetricPoint> Points(List<Metric> metrics, string name, string agent)
    {
        var points = new List<MetricPoint>();
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (Tags(point).Any(t => t.Key == "agentconsole.agent" && (string?)t.Value == agent))
                {
                    points.Add(point);
                }
            }
        }

        return points;
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    private static long Sum(List<Metric> metrics, string name, string agent) => Points(metrics, name, agent).Sum(p => p.GetSumLong());

    private static double SumDouble(List<Metric> metrics, string name, string agent) => Points(metrics, name, agent).Sum(p => p.GetSumDouble());
}
