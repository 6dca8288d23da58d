using AgentConsole.Engine.Triggers.Forms;
using AgentConsole.Engine.Triggers.Schedules;
using AgentConsole.Engine.Triggers.Crm;
using AgentConsole.Engine.Triggers.Database;
using AgentConsole.Engine.Triggers.Email;
using AgentConsole.Engine.Triggers.Polling;
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
        services.AddSingleton<ITriggerKindHandler, EmailTriggerHandler>();
        services.AddSingleton<ITriggerKindHandler, DatabaseRecordTriggerHandler>();
        services.AddSingleton<ITriggerKindHandler, CrmStatusTriggerHandler>();

        // The polling kinds: one recurring job (TriggerPollJob) polls every due trigger through its kind's poller.
        services.AddSingleton<TriggerPolling>();
        services.AddTransient<TriggerPollJob>();
        services.AddSingleton<ITriggerPoller, EmailTriggerPoller>();
        services.AddSingleton<ITriggerPoller, DatabaseRecordPoller>();
        services.AddSingleton<ITriggerPoller, CrmStatusPoller>();
        return services;
    }
}
