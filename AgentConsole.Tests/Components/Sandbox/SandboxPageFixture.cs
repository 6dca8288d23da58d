using AgentConsole.Components.Layout;
using AgentConsole.Engine.Tools.Calendar;
using AgentConsole.Engine.Tools.Chat;
using AgentConsole.Engine.Tools.Email;
using AgentConsole.Tests.Tools;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components.Sandbox;

/// <summary>A real SQLite database whose sandbox tables the Sandbox page reads; subclasses fill it through the tools.</summary>
public class SandboxPageFixture : IAsyncLifetime
{
    public MessagingHarness Harness { get; private set; } = default!;

    public virtual async Task InitializeAsync() => Harness = await MessagingHarness.CreateAsync();

    public void Register(IServiceCollection services)
    {
        services.AddSingleton(_ => Harness.Database.Get<SandboxOutbox>());
        services.AddSingleton(_ => Harness.Database.Get<SandboxCalendar>());
        services.AddSingleton(_ => Harness.Database.Get<SandboxChatLog>());
        services.AddSingleton(_ => Harness.Database.Get<TimeProvider>());
        services.AddScoped<BrowserTime>();
        services.AddLogging();
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

/// <summary>
/// Thirty e-mails of one run, two calendar events (one already over: the clock moved on after it) and a chat post
/// made outside a run.
/// </summary>
public sealed class BusySandboxFixture : SandboxPageFixture
{
    public const int Emails = 30;

    public Guid Run { get; } = Guid.NewGuid();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        for (var i = 1; i <= Emails; i++)
        {
            await Expect(EmailConnector.SendTool, $$"""{"to":"lead{{i}}@acme.example","subject":"Follow-up {{i}}","body":"Hello number {{i}}"}""", Run, $"mail-{i}");
            Harness.Database.Time.Advance(TimeSpan.FromSeconds(1));
        }

        // The clock stands at 2026-11-25 09:00 UTC (plus the seconds above).
        await Expect(CalendarConnector.CreateEventTool, """{"title":"Stand-up that is over","start":"2026-11-25T09:00:00Z","durationMinutes":15}""", Run, "event-past");
        await Expect(CalendarConnector.CreateEventTool, """{"title":"Intro call with Acme","start":"2026-11-26T14:00:00+01:00","durationMinutes":30,"attendees":["dana@acme.example"]}""", Run, "event-next");
        await Expect(ChatConnector.NotifyTool, """{"channel":"Sales EMEA","message":"New lead: Acme GmbH"}""", Guid.Empty, "chat-1");
        Harness.Database.Time.Advance(TimeSpan.FromHours(1));
    }

    private async Task Expect(string tool, string arguments, Guid run, string callId)
    {
        var outcome = await Harness.CallAsync(tool, arguments, run, callId);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"{tool} failed while seeding: {outcome.Error}");
        }
    }
}
