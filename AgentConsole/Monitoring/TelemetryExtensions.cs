using AgentConsole.Engine.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentConsole.Monitoring;

public static class TelemetryExtensions
{
    /// <summary>The OTLP endpoint variable of the OpenTelemetry specification; export is on only when it is set.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Registers the OpenTelemetry SDK for the engine's run/model/tool spans (GenAI conventions, via MEAI's
    /// <c>UseOpenTelemetry</c>), its metrics, and HTTP in and out; exports over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (protocol, headers and service name from the standard OTEL_* variables).
    /// </summary>
    public static IHostApplicationBuilder AddConsoleTelemetry(this IHostApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "agentconsole"))
            .WithTracing(tracing => tracing
                .AddSource(EngineTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsNoise(context.Request.Path))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(EngineTelemetry.MeterName, EngineTelemetry.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    // The circuit's own traffic and static files would drown the spans that matter.
    private static bool IsNoise(PathString path) =>
        path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/health");
}
