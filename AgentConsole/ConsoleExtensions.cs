using System.Text.Json.Serialization;
using AgentConsole.Access;
using AgentConsole.Alerts;
using AgentConsole.Agents;
using AgentConsole.Api;
using AgentConsole.Audit;
using AgentConsole.Components;
using AgentConsole.DecisionTables;
using AgentConsole.Escalations;
using AgentConsole.Evaluations;
using AgentConsole.Monitoring;
using AgentConsole.Runs;
using AgentConsole.Tools;
using AgentConsole.Triggers;
using AgentConsole.Triggers.Forms;
using AgentConsole.Engine.Persistence;
using Microsoft.AspNetCore.DataProtection;
using AgentConsole.Health;
using AgentConsole.Knowledge;
using AgentConsole.Prompts;
using Hangfire;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using MudBlazor.Services;

namespace AgentConsole;

public static class ConsoleExtensions
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// The content root when none is given: the working directory if it holds the app's settings (dotnet run),
    /// else the folder of the app itself, so <c>dotnet path/to/AgentConsole.dll</c> works from anywhere.
    /// </summary>
    public static string? ContentRootFor(string[] args)
    {
        var explicitRoot = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        if (explicitRoot || File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")))
        {
            return null;
        }

        return AppContext.BaseDirectory;
    }

    /// <summary>The web host's part: UI, authentication, API plumbing.</summary>
    public static WebApplicationBuilder AddConsoleUi(this WebApplicationBuilder builder)
    {
        // Without --urls, ASPNETCORE_URLS or Kestrel endpoints, listen on the documented local URL.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])
            && string.IsNullOrEmpty(builder.Configuration["http_ports"])
            && string.IsNullOrEmpty(builder.Configuration["https_ports"])
            && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Serves _content/* from the build output too, not only under `dotnet run` in Development.
        builder.WebHost.UseStaticWebAssets();

        builder.AddConsoleTelemetry();
        var services = builder.Services;
        services.AddConsoleDataProtection(builder.Configuration, builder.Environment);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddScoped<Components.Layout.BrowserTime>();
        services.AddConsoleAccess();
        services.AddConsoleTransport();
        services.AddWebhookReceiver();
        services.AddSingleton<FormSubmissionThrottle>();

        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "AgentConsole API";
            document.Info.Description = "Authenticate with an API key: 'Authorization: Bearer <key>'. Errors are application/problem+json.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key created under Settings > API keys.",
            };
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.UseConsoleTransport();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error", CreateScopeForErrors = true });
        // Registered on the app itself, not in a UseWhen branch: a branch loses the global route builder, so its
        // re-execution would skip routing and answer unknown pages with an empty 404. API answers never reach it
        // empty: the inner status code pages below have already written a problem+json body.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(Problems.IsApiRequest, api => api
            .Use(LimitApiBody)
            .UseStatusCodePages());

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWhen(Problems.IsApiRequest, api => api.Use(ApiAntiforgery.RequireTokenForCookieCallsAsync));
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthEndpoints();
        app.MapOpenApi().RequireAuthorization(Policies.AnyRole);
        app.MapAccountEndpoints();
        app.MapAntiforgeryTokenEndpoint();
        app.MapAgentEndpoints();
        app.MapAgentDocumentationEndpoints();
        app.MapAgentScopingEndpoints();
        app.MapToolEndpoints();
        app.MapAuditEndpoints();
        app.MapDecisionEndpoints();
        app.MapPromptEndpoints();
        app.MapRunEndpoints();
        app.MapEscalationEndpoints();
        app.MapMetricsEndpoints();
        app.MapAlertEndpoints();
        app.MapReplayEndpoints();
        app.MapKnowledgeEndpoints();
        app.MapWebhookEndpoints();
        app.MapFormEndpoints();
        app.MapTriggerEndpoints();
        app.MapTestSetEndpoints();
        AgentConsole.Evaluations.EvaluationEndpoints.MapEvaluationEndpoints(app);
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new HangfireDashboardAuthorization()],
            DashboardTitle = "AgentConsole jobs",
            AppPath = "/",
        }).RequireAuthorization(Policies.Admin);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static Task LimitApiBody(HttpContext context, Func<Task> next)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
        }

        return next();
    }
}
