using Bunit;
using MudBlazor;

namespace AgentConsole.Tests.Components.Escalations;

/// <summary>A bunit context for the queue's pages: the workspace's services, a dialog provider and a signed-in reviewer.</summary>
public abstract class QueueTestContext : MudTestContext
{
    protected QueueTestContext(WorkspaceFixture workspace)
        : base(workspace.Register)
    {
        Dialogs = Render<MudDialogProvider>();
        QueueWorkspace.SignInAsReviewer(Auth);
    }

    /// <summary>Where the queue's dialogs (approve as, confirmations) render.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs { get; }
}
