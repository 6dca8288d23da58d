using System.Security.Claims;
using AgentConsole.Access;

namespace AgentConsole.Components.Pages.Crm;

/// <summary>Who may edit the sandbox CRM: Owners and Admins (the Configure policy), checked again on every save.</summary>
internal static class CrmEditing
{
    public const string NotAllowed = "Only Owners and Admins edit the CRM.";

    public static bool Allowed(ClaimsPrincipal user) => Policies.RolesByPolicy[Policies.Configure].Any(user.IsInRole);
}
