namespace AgentConsole.Engine.Tools;

/// <summary>
/// What the CRM knows about how much is at stake with a contact: an account marked high-stakes raises the cost to
/// undo of anything sent to its people (so the policy asks a person first). Implemented by the CRM connector;
/// connectors that reach people (e-mail, calendar invites) ask it in their <see cref="IConnector.AssessAsync"/>.
/// </summary>
public interface IAccountStakes
{
    /// <summary>The stakes of contacting this address, or null when nothing marks it as special.</summary>
    ValueTask<CallStakes?> ForRecipientAsync(string emailAddress, CancellationToken ct);
}
