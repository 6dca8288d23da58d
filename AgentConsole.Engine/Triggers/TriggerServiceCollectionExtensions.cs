using AgentConsole.Engine.Triggers.Forms;
using AgentConsole.Engine.Triggers.Schedules;
using AgentConsole.Engine.Triggers.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Triggers;

public static class TriggerServiceCollectionExtensions
{
    /// <summary>Trigger definitions, the durable inbox and its processor, and one handler per trigger kind.</summary>
    public static IServiceCollection AddTriggers(this IServiceCollection services)
    {
        services.AddOptions<TriggerOptions>().BindConfiguration(TriggerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TriggerSecrets>();
        services.AddSingleton<TriggerDirectory>();
        services.AddSingleton<TriggerCatalog>();
        services.AddSingleton<TriggerInboxSignal>();
        services.AddSingleton<TriggerInbox>();
        services.AddSingleton<TriggerStatistics>();
        services.AddSingleton<TriggerEventProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<TriggerEventProcessor>());

        // One handler per kind; each kind registers itself here in one line.
        services.AddSingleton<ITriggerKindHandler, WebhookTriggerHandler>();
        services.AddSingleton<ITriggerKindHandler, FormTriggerHandler>();
        services.AddSingleton<ITriggerKindHandler, ScheduleTriggerHandler>();
        services.AddTransient<ScheduleTriggerJob>();
        return services;
    }
}
