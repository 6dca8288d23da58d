using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AgentConsole.Engine.Tools.Resilience;

public static class ToolHttpServiceCollectionExtensions
{
    /// <summary>
    /// The named client HTTP connectors share: pooled connections renewed after <see cref="ToolHttpOptions.ConnectionLifetime"/>,
    /// no automatic redirects (a connector checks every hop against its allow-list itself), bounded response headers
    /// and bodies, and a per-attempt timeout from Microsoft.Extensions.Http.Resilience. Retries and the breaker live one
    /// level up, in <see cref="ToolInvoker"/>, so each attempt is a timeline entry and an audit event of its run.
    /// </summary>
    public static IServiceCollection AddToolHttpClient(this IServiceCollection services)
    {
        services.AddHttpClient(ToolHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var http = sp.GetRequiredService<IOptions<ToolOptions>>().Value.Http;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = http.ConnectionLifetime,
                    ConnectTimeout = http.ConnectTimeout,
                    MaxResponseHeadersLength = http.MaxResponseHeadersKb,
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                    UseCookies = false,
                };
            })
            // SocketsHttpHandler renews its own connections; the factory need not recycle handlers.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient((sp, client) =>
            {
                // The resilience handler is the time limit; HttpClient's own 100 s would cut a longer per-tool attempt.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.MaxResponseContentBufferSize = sp.GetRequiredService<IOptions<ToolOptions>>().Value.Http.MaxResponseContentBytes;
            })
            .AddResilienceHandler("attempt-timeout", (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ToolOptions>>();
                context.EnableReloads<ToolOptions>();
                builder.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                // A backstop for one request: the longest attempt any tool may take (the invoker cuts each tool at its own).
                var tools = options.CurrentValue;
                var longest = tools.PerTool.Values.Select(t => t.Over(tools.Resilience).AttemptTimeoutOrDefault)
                    .Append(tools.Resilience.AttemptTimeoutOrDefault).Max();
                builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = longest });
            });
        return services;
    }
}
