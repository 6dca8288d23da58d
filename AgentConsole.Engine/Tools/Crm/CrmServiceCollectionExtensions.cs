using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools.Crm;

public static class CrmServiceCollectionExtensions
{
    /// <summary>The CRM connector (sandbox and live), its demo data and the account stakes the messaging connectors ask.</summary>
    public static IServiceCollection AddCrmConnector(this IServiceCollection services)
    {
        services.AddSingleton<CrmSandbox>();
        services.AddSingleton<CrmSeed>();
        services.AddSingleton<CrmAdministration>();
        services.AddSingleton<CrmRestClient>();
        services.AddSingleton<IAccountStakes, CrmAccountStakes>();
        services.AddSingleton<IConnector, CrmConnector>();
        return services;
    }
}
