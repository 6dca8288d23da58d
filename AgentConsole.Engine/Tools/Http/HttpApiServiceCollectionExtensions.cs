using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace AgentConsole.Engine.Tools.Http;

public static class HttpApiServiceCollectionExtensions
{
    /// <summary>The HTTP API connector, its sandbox log and its limits.</summary>
    public static IServiceCollection AddHttpApiConnector(this IServiceCollection services)
    {
        services.AddOptions<HttpApiOptions>().BindConfiguration(HttpApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HttpSandboxLog>();
        services.AddSingleton<IConnector, HttpApiConnector>();
        // The connector follows redirects itself, checking each target against the allow-list before anything (credentials
        // included) is sent there; a handler that followed them on its own would skip that check. Post-configured so it
        // applies to whichever primary handler the tools' client is given.
        services.AddHttpClient(ToolHttp.ClientName);
        services.PostConfigure<HttpClientFactoryOptions>(ToolHttp.ClientName, o => o.HttpMessageHandlerBuilderActions.Add(builder =>
        {
            switch (builder.PrimaryHandler)
            {
                case HttpClientHandler handler:
                    handler.AllowAutoRedirect = false;
                    break;
                case SocketsHttpHandler handler:
                    handler.AllowAutoRedirect = false;
                    break;
            }
        }));
        return services;
    }
}
