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
        }

        return app;
    }

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
