using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AgentConsole.Engine.Monitoring;
using AgentConsole.Engine.Runs;
using AgentConsole.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace AgentConsole.Tests.Monitoring;

/// <summary>With OTEL_EXPORTER_OTLP_ENDPOINT set, the console's spans leave over real OTLP/HTTP to a collector.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Spans_AreExportedOverOtlp_WhenTheEndpointIsConfigured()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var collector = await StartCollectorAsync(received);
        var endpoint = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var builder = WebApplication.CreateBuilder();
        builder.Configuration[TelemetryExtensions.OtlpEndpointVariable] = endpoint;
        builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        builder.Configuration["OTEL_SERVICE_NAME"] = "agentconsole-otlp-test";
        builder.AddConsoleTelemetry();
        await using var app = builder.Build();
        var tracer = app.Services.GetRequiredService<TracerProvider>();

        var run = Run.Create("otlp-agent", "OTLP agent", "{}", "tests", DateTimeOffset.UtcNow);
        using (var span = EngineTelemetry.StartRun(run))
        {
            Assert.NotNull(span);
        }

        Assert.True(tracer.ForceFlush(10_000));
        var traces = received.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        // Protobuf keeps strings as UTF-8: the span's name, agent and service name are in the payload.
        var payload = Encoding.UTF8.GetString([.. traces.SelectMany(t => t.Body)]);
        Assert.Contains("invoke_agent otlp-agent", payload, StringComparison.Ordinal);
        Assert.Contains(run.Id.ToString(), payload, StringComparison.Ordinal);
        Assert.Contains("agentconsole-otlp-test", payload, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string, byte[])> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value!, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await collector.StartAsync();
        return collector;
    }
}
