using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>HTTPS, HSTS and the reverse proxy in front of the console.</summary>
public static class TransportExtensions
{
    public static IServiceCollection AddConsoleTransport(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AccessOptions>>((options, access) =>
        {
            // Only the client address and scheme: the Host header stays the one AllowedHosts checked.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = access.Value.ForwardLimit;
            // Loopback (a proxy on the same machine) stays trusted by default; everything else must be listed.
            foreach (var proxy in access.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in access.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline: the client's real address and scheme before anything reads them.</summary>
    public static WebApplication UseConsoleTransport(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            if (HasHttpsEndpoint(app.Configuration))
            {
                app.UseHttpsRedirection();
            }

            app.Use(RefusePagesOverPlainHttp);
        }

        return app;
    }

    /// <summary>
    /// Outside Development the session and antiforgery cookies are Secure-only, so a page served over plain HTTP could
    /// never sign anyone in (antiforgery would even throw). Say why instead, and leave the API (bearer keys) and the
    /// health endpoint working for scripts and probes.
    /// </summary>
    private static Task RefusePagesOverPlainHttp(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        if (context.Request.IsHttps || path.StartsWithSegments("/api") || path.StartsWithSegments("/healthz")
            || path.StartsWithSegments("/openapi"))
        {
            return next();
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(PlainHttpNotice);
    }

    private const string PlainHttpNotice = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>HTTPS required · AgentConsole</title></head>
        <body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
        <h1>HTTPS required</h1>
        <p>Outside Development, AgentConsole signs people in only over HTTPS: its session cookies are Secure, so a
        browser would never send them back over plain HTTP.</p>
        <p>Put the console behind a TLS-terminating reverse proxy that sends <code>X-Forwarded-Proto: https</code>
        (and list it in <code>AgentConsole:Access:KnownProxies</code> unless it runs on this machine), or let it listen
        on <code>https://</code> itself. For a local trial, run it with <code>ASPNETCORE_ENVIRONMENT=Development</code>.</p>
        <p>The REST API with an API key and <code>/healthz</code> still answer over HTTP.</p>
        </body></html>
        """;

    /// <summary>Whether the app itself listens on HTTPS; behind a TLS-terminating proxy it does not, and must not redirect.</summary>
    internal static bool HasHttpsEndpoint(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["https_ports"])
        || !string.IsNullOrEmpty(configuration["https_port"])
        || IsHttps(configuration["urls"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(endpoint => IsHttps(endpoint["Url"]));

    private static bool IsHttps(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) == true;
}
