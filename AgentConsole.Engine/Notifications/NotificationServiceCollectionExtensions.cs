using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>Channels, the notifier the escalation code calls, the dispatcher that delivers and the in-app feed.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(NotificationSender.HttpClientName)
            // The URL is a credential and was checked when saved: a redirect could carry the message somewhere else.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The dispatcher cuts each attempt at SendTimeout on the injected clock.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<InAppNotifications>();
        services.AddSingleton<NotificationSignal>();
        services.AddSingleton<NotificationSecrets>();
        services.AddSingleton<NotificationSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddSingleton<EscalationNotifier>();
        services.AddSingleton<AlertNotifier>();
        services.AddSingleton<NotificationChannels>();
        services.AddSingleton<NotificationDeliveries>();
        services.AddSingleton<OpenEscalations>();
        return services;
    }
}
