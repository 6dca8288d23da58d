using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AgentConsole.Tests.Components;

/// <summary>bunit context set up for MudBlazor the way STACK-NOTES.md describes.</summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
        : this(null)
    {
    }

    /// <summary>For components that need engine services: they must be registered before the first render.</summary>
    protected MudTestContext(Action<IServiceCollection>? services)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        services?.Invoke(Services);
        // Authorization must be registered before the first render resolves services; tests set the user.
        Auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", true));
        // Selects and menus render their lists into the popover provider.
        Render<MudBlazor.MudPopoverProvider>();
    }

    protected BunitAuthorizationContext Auth { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
