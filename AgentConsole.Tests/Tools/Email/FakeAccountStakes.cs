using AgentConsole.Engine.Tools;

namespace AgentConsole.Tests.Tools.Email;

/// <summary>A CRM that knows a few high-stakes contacts by address.</summary>
public sealed class FakeAccountStakes(params (string Address, CallStakes Stakes)[] accounts) : IAccountStakes
{
    public List<string> Asked { get; } = [];

    public ValueTask<CallStakes?> ForRecipientAsync(string emailAddress, CancellationToken ct)
    {
        Asked.Add(emailAddress);
        return ValueTask.FromResult<CallStakes?>(accounts.FirstOrDefault(a => string.Equals(a.Address, emailAddress, StringComparison.OrdinalIgnoreCase)).Stakes);
    }
}
