using System.Net;
using System.Net.Http.Headers;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Browser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Hosting;

/// <summary>
/// One real AgentConsole host for the whole test run: Kestrel on a loopback port, SQLite files in a temp folder (or
/// PostgreSQL, see <see cref="Persistence.TestProvider"/>),
/// the demo workspace seeded with known passwords and a bootstrap Admin API key. Hangfire keeps process-wide
/// statics, so HTTP and browser tests share this single host (see STACK-NOTES.md).
/// </summary>
public sealed class ConsoleHostFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@agentconsole.local";
    public const string AdminPassword = "Admin-Pass-2026!";
    public const string DemoPassword = "Demo-Pass-2026!";
    public const string AdminApiKey = "ac_test_bootstrap_key_0123456789abcdefghijklmnop";

    private readonly Factory _factory;

    public ConsoleHostFixture()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "agentconsole-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _factory = new Factory(DataDirectory);
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = default!;

    public IServiceProvider Services => _factory.Services;

    /// <summary>Email and password of the seeded user for <paramref name="role"/>.</summary>
    public static (string Email, string Password) SignInFor(string role) => role == Roles.Admin
        ? (AdminEmail, AdminPassword)
        : (DemoWorkspace.Users.Single(u => u.Role == role).Email, DemoPassword);

    public Task InitializeAsync()
    {
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
        return Task.CompletedTask;
    }

    /// <summary>A plain HTTP client over the real socket; with a key it sends it as a bearer token.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a file handle for a moment; the temp folder is cleaned by the OS.
        }
    }

    private sealed class Factory(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // SQLite files in the folder, or a database of the shared PostgreSQL server when the tests run on it.
            foreach (var (key, value) in Runs.RunHost.DatabaseSettingsAsync(dataDirectory).GetAwaiter().GetResult())
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("AgentConsole:Storage:DataProtectionKeysPath", Path.Combine(dataDirectory, "keys"));
            builder.UseSetting("AgentConsole:Audit:KeyFile", Path.Combine(dataDirectory, "audit-hmac.key"));
            builder.UseSetting("AgentConsole:Bootstrap:AdminEmail", AdminEmail);
            builder.UseSetting("AgentConsole:Bootstrap:AdminPassword", AdminPassword);
            builder.UseSetting("AgentConsole:Bootstrap:ApiKey", AdminApiKey);
            builder.UseSetting("AgentConsole:Demo:UserPassword", DemoPassword);
            // Tests start the runs they need; the demo's sample runs would add escalations nobody expects.
            builder.UseSetting("AgentConsole:Demo:SampleRuns", "false");
            builder.UseSetting("AgentConsole:Jobs:WorkerCount", "2");
            // Many tests give the shared demo agent a trigger of their own; the per-agent cap is tested in the engine.
            builder.UseSetting("AgentConsole:Triggers:MaxTriggersPerAgent", "1000");
            // Every request rechecks the security stamp, so revocation tests need no clock.
            builder.UseSetting("AgentConsole:Access:SecurityStampValidationInterval", "00:00:00");
            // Small abuse limits so tests can reach them; tests that do use a partition of their own (a fresh key,
            // user, agent or X-Forwarded-For address), and the rest of the suite stays well below them.
            builder.UseSetting("AgentConsole:RateLimits:LoginFailuresPerAccount:PermitLimit", "8");
            builder.UseSetting("AgentConsole:RateLimits:LoginFailuresPerIp:PermitLimit", "40");
            builder.UseSetting("AgentConsole:RateLimits:ApiKeyFailuresPerIp:PermitLimit", "30");
            builder.UseSetting("AgentConsole:RateLimits:RunsPerCaller:Burst", "30");
            builder.UseSetting("AgentConsole:RateLimits:RunsPerCaller:PerSecond", "5");
            builder.UseSetting("AgentConsole:RateLimits:RunsPerAgent:Burst", "20");
            builder.UseSetting("AgentConsole:RateLimits:RunsPerAgent:PerSecond", "5");
            builder.UseSetting("AgentConsole:RateLimits:AuditVerificationsPerCaller:PermitLimit", "10");
            // An OpenAI provider without a key, as a fresh install from appsettings.example.json has: "not configured".
            builder.UseSetting("AgentConsole:Models:Providers:openai:Kind", "OpenAI");
            builder.UseSetting("AgentConsole:Models:Providers:openai:Endpoint", "https://api.openai.com/v1");
            builder.UseSetting("AgentConsole:Models:Providers:openai:Model", "gpt-4o-mini");
            builder.UseSetting("AgentConsole:Models:Providers:openai:InputPricePerMillion", "0.15");
            builder.UseSetting("AgentConsole:Models:Providers:openai:OutputPricePerMillion", "0.60");
        }
    }
}

/// <summary>Every test that needs the host (HTTP or browser) joins this one collection, so only one host ever starts.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleHostGroup : ICollectionFixture<ConsoleHostFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Console host";
}
