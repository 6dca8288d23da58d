using AgentConsole.Engine.Tools.Calendar;
using AgentConsole.Engine.Tools.Chat;
using AgentConsole.Engine.Tools.Email;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>The e-mail, calendar and chat-notification connectors and the readers of their sandbox tables.</summary>
    public static IServiceCollection AddMessagingConnectors(this IServiceCollection services)
    {
        services.AddSingleton<IConnector, EmailConnector>();
        services.AddSingleton<IConnector, CalendarConnector>();
        services.AddSingleton<IConnector, ChatConnector>();
        services.AddSingleton<SandboxOutbox>();
        services.AddSingleton<SandboxCalendar>();
        services.AddSingleton<SandboxChatLog>();
        return services;
    }
}
