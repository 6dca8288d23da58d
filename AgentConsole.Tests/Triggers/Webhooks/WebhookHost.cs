using System.Text;
using System.Text.Json.Nodes;
using AgentConsole.Engine;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Triggers;
using AgentConsole.Engine.Triggers.Webhooks;
using AgentConsole.Tests.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Triggers.Webhooks;

/// <summary>
/// The whole app (engine, UI pipeline, authentication) on Kestrel on a loopback port, SQLite files in a temp folder,
/// with a <see cref="FakeTimeProvider"/> the tests move (replay window, rotation overlap) and without a Hangfire server
/// or the inbox processor's loop: tests call <see cref="TriggerEventProcessor.ProcessBatchAsync"/> themselves.
/// </summary>
public sealed class WebhookHost : IAsyncLifetime
{
    private readonly string _folder = RunHost.NewFolder();
    private WebApplication? _app;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    public Uri BaseAddress { get; private set; } = default!;

    public IServiceProvider Services => _app!.Services;

    public TriggerCatalog Catalog => Services.GetRequiredService<TriggerCatalog>();

    public TriggerEventProcessor Processor => Services.GetRequiredService<TriggerEventProcessor>();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = _folder,
            ApplicationName = typeof(ConsoleExtensions).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AgentConsole:Jobs:RunServer"] = "false",
            ["AgentConsole:Storage:DataProtectionKeysPath"] = Path.Combine(_folder, "keys"),
            ["AgentConsole:Audit:KeyFile"] = Path.Combine(_folder, "audit-hmac.key"),
            ["AgentConsole:Bootstrap:AdminPassword"] = "Admin-Pass-2026!",
            ["AgentConsole:Demo:UserPassword"] = "Demo-Pass-2026!",
            // Small enough that a test can exceed it cheaply.
            ["AgentConsole:Triggers:MaxBodyBytes"] = "4096",
        });
        builder.Configuration.AddInMemoryCollection(await RunHost.DatabaseSettingsAsync(_folder));
        builder.Services.AddSingleton(new FirstRunNotice(TextWriter.Null));
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddAgentEngine();
        builder.AddConsoleUi();
        // The processor stays registered (tests call it) but its background loop does not run, so it never races a test.
        var loop = builder.Services.Single(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationFactory?.Method.DeclaringType?.DeclaringType == typeof(TriggerServiceCollectionExtensions));
        builder.Services.Remove(loop);
        _app = builder.Build();
        _app.MapConsole();
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First());
    }

    public HttpClient CreateClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    /// <summary>A webhook trigger on the demo lead router; returns its key and signing secret.</summary>
    public async Task<(string Key, string Secret)> CreateWebhookAsync(string name, JsonObject? settings = null, bool enabled = true)
    {
        var result = await Catalog.CreateAsync(DemoWorkspace.LeadRouterKey,
            new TriggerDraft(name, TriggerKind.Webhook, enabled, Settings: settings), "tests@agentconsole.local");
        Assert.True(result.Outcome == TriggerCommandOutcome.Done, $"{result.Message} {string.Join("; ", result.Errors?.SelectMany(e => e.Value) ?? [])}");
        return (result.Trigger!.Key, result.Secret!);
    }

    /// <summary>A POST signed as a sender would sign it, at the host's current (fake) time unless told otherwise.</summary>
    public HttpRequestMessage SignedPost(string key, string secret, string body, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? Time.GetUtcNow()).ToUnixTimeSeconds();
        var request = Post(key, body);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    public static HttpRequestMessage Post(string key, string body, string contentType = "application/json") =>
        new(HttpMethod.Post, $"hooks/{key}") { Content = new StringContent(body, Encoding.UTF8, contentType) };

    public async Task<T> QueryAsync<T>(Func<AgentConsoleDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public Task<List<TriggerEvent>> EventsAsync(string key) =>
        QueryAsync(db => db.TriggerEvents.AsNoTracking().Where(e => e.TriggerKey == key).OrderBy(e => e.Id).ToListAsync());

    /// <summary>Drains the inbox the way the processor's loop would.</summary>
    public async Task ProcessAllAsync()
    {
        while (await Processor.ProcessBatchAsync(CancellationToken.None) > 0)
        {
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        RunHost.DeleteFolder(_folder);
    }
}
