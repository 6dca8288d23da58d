using System.Net;
using AgentConsole.Access;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Access;

/// <summary>
/// Outside Development: Secure cookies, HSTS, forwarded headers from a trusted proxy, HTTPS redirection only when the
/// app itself listens on HTTPS. These run a small Production web app with the console's transport wiring over Kestrel.
/// </summary>
public sealed class TransportTests
{
    [Theory]
    [InlineData("Production", CookieSecurePolicy.Always)]
    [InlineData("Staging", CookieSecurePolicy.Always)]
    [InlineData("Development", CookieSecurePolicy.SameAsRequest)]
    public void SessionAndAntiforgeryCookies_AreSecure_OutsideDevelopment(string environment, CookieSecurePolicy expected)
    {
        var services = new ServiceCollection()
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment })
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton(TimeProvider.System)
            .AddLogging();
        services.AddConsoleAccess();
        using var provider = services.BuildServiceProvider();

        var cookie = provider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).Cookie;
        var antiforgery = provider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie;

        Assert.Equal(expected, cookie.SecurePolicy);
        Assert.Equal(expected, antiforgery.SecurePolicy);
        Assert.True(cookie.HttpOnly);
    }

    [Fact]
    public async Task TrustedProxy_ForwardsClientAddressAndScheme_AndHttpsAnswersCarryHsts()
    {
        await using var app = await StartAsync();
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Host = "console.example.test";
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("203.0.113.7 https", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("Strict-Transport-Security"), "HSTS is sent on HTTPS outside Development.");
    }

    [Fact]
    public async Task PlainHttp_IsServedWithoutRedirectOrHsts_WhenTheAppHasNoHttpsEndpoint()
    {
        // Behind a TLS-terminating proxy the app listens on HTTP only; redirecting would loop. (Pages reached over plain
        // HTTP say that HTTPS is required, see below; the API shows what the transport itself does.)
        await using var app = await StartAsync();
        using var client = Client(app);

        using var response = await client.GetAsync("/api/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith(" http", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task PlainHttpPage_ExplainsThatHttpsIsRequired_WhileTheApiAndHealthStillAnswer_OutsideDevelopment()
    {
        await using var app = await StartAsync();
        using var client = Client(app);

        using var page = await client.GetAsync("/login");
        using var api = await client.GetAsync("/api/whoami");
        using var health = await client.GetAsync("/healthz");
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/login");
        forwarded.Headers.Add("X-Forwarded-Proto", "https");
        using var behindProxy = await client.SendAsync(forwarded);

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("HTTPS required", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, behindProxy.StatusCode);
    }

    [Fact]
    public async Task PlainHttp_IsRedirectedToHttps_WhenAnHttpsPortIsConfigured()
    {
        await using var app = await StartAsync(("https_port", "8443"));
        using var client = Client(app);

        using var response = await client.GetAsync("/whoami");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https", response.Headers.Location!.Scheme);
        Assert.Equal(8443, response.Headers.Location.Port);
    }

    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("http://localhost:5080", null, null, false)]
    [InlineData("http://*:80;https://*:443", null, null, true)]
    [InlineData(null, "443", null, true)]
    [InlineData(null, null, "https://0.0.0.0:5443", true)]
    public void HasHttpsEndpoint_IsTrue_OnlyWhenTheAppListensOnHttps(string? urls, string? httpsPorts, string? kestrelUrl, bool expected)
    {
        var settings = new Dictionary<string, string?> { ["urls"] = urls, ["https_ports"] = httpsPorts, ["Kestrel:Endpoints:Main:Url"] = kestrelUrl };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(s => s.Value is not null)).Build();

        Assert.Equal(expected, TransportExtensions.HasHttpsEndpoint(configuration));
    }

    [Fact]
    public void AccessOptions_RejectProxiesThatAreNotAddresses()
    {
        var options = new AccessOptions { KnownProxies = ["proxy.internal"], KnownNetworks = ["10.0.0.0/33"] };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.Contains("KnownProxies", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("KnownNetworks", StringComparison.Ordinal));
    }

    private static async Task<WebApplication> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddOptions<AccessOptions>();
        builder.Services.AddConsoleTransport();
        var app = builder.Build();
        app.UseConsoleTransport();
        app.MapGet("/whoami", (HttpContext http) => $"{http.Connection.RemoteIpAddress} {http.Request.Scheme}");
        app.MapGet("/login", () => "sign-in page");
        app.MapGet("/api/whoami", (HttpContext http) => $"{http.Connection.RemoteIpAddress} {http.Request.Scheme}");
        app.MapGet("/healthz", () => "Healthy");
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    }
}
