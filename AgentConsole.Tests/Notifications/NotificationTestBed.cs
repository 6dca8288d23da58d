using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Notifications;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Tests.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AgentConsole.Tests.Notifications;

/// <summary>
/// A real engine host (SQLite, Data Protection, audit) on a <see cref="FakeTimeProvider"/> with background delivery off:
/// tests queue notices as the escalation code does and drive <see cref="NotificationDispatcher.DispatchDueAsync"/> themselves.
/// </summary>
public sealed class NotificationTestBed : IAsyncDisposable
{
    public const string BaseUrl = "https://console.example.com";
    public const string Admin = "admin@example.com";

    private readonly string _folder;

    private NotificationTestBed(RunHost host, string folder, FakeTimeProvider time, CapturedLogs logs) => (Host, _folder, Time, Logs) = (host, folder, time, logs);

    public RunHost Host { get; }
    public FakeTimeProvider Time { get; }
    public CapturedLogs Logs { get; }

    public NotificationChannels Channels => Host.Services.GetRequiredService<NotificationChannels>();
    public NotificationDeliveries Deliveries => Host.Services.GetRequiredService<NotificationDeliveries>();
    public NotificationDispatcher Dispatcher => Host.Services.GetRequiredService<NotificationDispatcher>();
    public EscalationNotifier Notifier => Host.Services.GetRequiredService<EscalationNotifier>();
    public InAppNotifications InApp => Host.Services.GetRequiredService<InAppNotifications>();

    public static async Task<NotificationTestBed> StartAsync(params (string Key, string? Value)[] settings)
    {
        var folder = RunHost.NewFolder();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var logs = new CapturedLogs();
        var host = await RunHost.StartWithAsync(
            services => services.AddSingleton<ILoggerProvider>(logs),
            folder,
            time,
            [
                ("AgentConsole:Notifications:ProcessInBackground", "false"),
                ("AgentConsole:Notifications:PublicBaseUrl", BaseUrl),
                ("AgentConsole:Demo:Seed", "false"),
                .. settings,
            ]);
        return new NotificationTestBed(host, folder, time, logs);
    }

    public static EscalationNotice Notice(Guid escalationId, IReadOnlyList<string>? channels = null, IReadOnlyList<string>? reviewers = null,
        NotificationEvent evt = NotificationEvent.Raised, DateTimeOffset? due = null) =>
        new(escalationId, Guid.NewGuid(), "lead-router", "Inbound lead router", "Route", "Large account (1,200 employees) needs a person",
            due ?? new DateTimeOffset(2026, 12, 7, 13, 0, 0, TimeSpan.Zero), evt, channels ?? [], reviewers ?? ["reviewer@example.com"]);

    /// <summary>Queues a notice the way the escalation code does: in a context of its own, committed by the caller.</summary>
    public async Task QueueAsync(EscalationNotice notice)
    {
        await using var db = await Host.Services.GetRequiredService<IDbContextFactory<AgentConsoleDbContext>>().CreateDbContextAsync();
        await Notifier.QueueAsync(db, notice);
        await db.SaveChangesAsync();
        Notifier.Wake();
    }

    public async Task<NotificationChannelView> AddEmailAsync(string key, string host, int port, string? recipients = null, string? username = null, string? password = null)
    {
        var result = await Channels.CreateAsync(new NotificationChannelEdit
        {
            Key = key,
            Name = $"Mail {key}",
            Kind = NotificationChannelKind.Email,
            Host = host,
            Port = port,
            Tls = SmtpTls.None,
            From = "agents@example.com",
            Recipients = recipients,
            Username = username,
            Password = password,
        }, Admin);
        return result.Channel ?? throw new InvalidOperationException(result.Message);
    }

    public async Task<NotificationChannelView> AddWebhookAsync(string key, Uri url)
    {
        var result = await Channels.CreateAsync(new NotificationChannelEdit { Key = key, Name = $"Hook {key}", Kind = NotificationChannelKind.Webhook, WebhookUrl = url.ToString() }, Admin);
        return result.Channel ?? throw new InvalidOperationException(result.Message);
    }

    public async Task<IReadOnlyList<AuditEvent>> AuditAsync(string action)
    {
        await Host.Services.GetRequiredService<AuditChain>().SealPendingAsync();
        return await Host.QueryAsync(db => db.AuditEvents.Where(e => e.Action == action).ToListAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        RunHost.DeleteFolder(_folder);
    }
}
