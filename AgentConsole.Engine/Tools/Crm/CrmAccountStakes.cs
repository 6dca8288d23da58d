namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// An address whose domain belongs to a company the sandbox CRM marks high-stakes costs that company's estimate to
/// undo: the e-mail and calendar connectors raise such calls' stakes so a person approves them first. The flag is
/// kept in the sandbox CRM (CRM page) also when the CRM connection is live, so it works for any CRM.
/// </summary>
public sealed class CrmAccountStakes(CrmSandbox sandbox) : IAccountStakes
{
    public async ValueTask<CallStakes?> ForRecipientAsync(string emailAddress, CancellationToken ct)
    {
        if (CrmSandbox.DomainOf(emailAddress) is null)
        {
            return null;
        }

        var company = await sandbox.FindCompanyAsync(null, emailAddress, ct);
        return company is { HighStakes: true }
            ? new CallStakes(company.HighStakesCostUsd, $"{company.Name} is marked high-stakes: {company.HighStakesReason ?? "see the CRM"}")
            : null;
    }
}
