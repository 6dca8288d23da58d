using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Engine.Tools.Messaging;

/// <summary>
/// The highest stakes the CRM reports among a call's recipients. <see cref="IAccountStakes"/> is optional: without a
/// CRM that knows accounts, every recipient carries the tool's declared cost to undo.
/// </summary>
public static class RecipientStakes
{
    public static async ValueTask<CallStakes?> HighestAsync(IServiceProvider services, IEnumerable<string> recipients, CancellationToken ct)
    {
        if (services.GetService<IAccountStakes>() is not { } accounts)
        {
            return null;
        }

        CallStakes? highest = null;
        foreach (var recipient in recipients.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await accounts.ForRecipientAsync(recipient.Trim(), ct) is { } stakes && (highest is null || stakes.CostToUndoUsd > highest.CostToUndoUsd))
            {
                highest = stakes;
            }
        }

        return highest;
    }
}
