using AgentConsole.Engine.Access;
using Microsoft.AspNetCore.Authorization;

namespace AgentConsole.Access;

/// <summary>
/// Every page and endpoint names one of these policies. Admin can do everything; the other roles
/// get what DESIGN.md's role table says they live on.
/// </summary>
public static class Policies
{
    public const string AnyRole = nameof(AnyRole);
    public const string EditAgents = nameof(EditAgents);
    public const string EditDecisions = nameof(EditDecisions);
    public const string Prompts = nameof(Prompts);

    /// <summary>Reading prompt versions, their lint and diffs: the editors, and Managers who watch what runs in production.</summary>
    public const string ReadPrompts = nameof(ReadPrompts);
    public const string Escalations = nameof(Escalations);

    /// <summary>Reading and acknowledging alerts; editing alert rules is <see cref="Configure"/> (Admins, Owners).</summary>
    public const string Alerts = nameof(Alerts);
    public const string Configure = nameof(Configure);

    /// <summary>The dashboard's figures, the metrics API and the pilot scorecard: the people who watch volume and cost.</summary>
    public const string Monitoring = nameof(Monitoring);
    public const string Admin = nameof(Admin);

    /// <summary>Which roles each policy admits; the single source for authorization, navigation and tests.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RolesByPolicy = new Dictionary<string, string[]>
    {
        [AnyRole] = [Roles.Admin, Roles.Owner, Roles.Reviewer, Roles.Manager],
        [EditAgents] = [Roles.Admin, Roles.Owner],
        [EditDecisions] = [Roles.Admin, Roles.Owner],
        [Prompts] = [Roles.Admin, Roles.Owner],
        [ReadPrompts] = [Roles.Admin, Roles.Owner, Roles.Manager],
        [Escalations] = [Roles.Admin, Roles.Owner, Roles.Reviewer],
        [Alerts] = [Roles.Admin, Roles.Owner, Roles.Manager],
        [Configure] = [Roles.Admin, Roles.Owner],
        [Monitoring] = [Roles.Admin, Roles.Owner, Roles.Manager],
        [Admin] = [Roles.Admin],
    };

    public static bool Allows(string policy, IEnumerable<string> roles) =>
        RolesByPolicy[policy].Intersect(roles, StringComparer.Ordinal).Any();

    public static void Register(AuthorizationOptions options)
    {
        foreach (var (name, roles) in RolesByPolicy)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().RequireRole(roles));
        }

        // Secure by default: an endpoint that names no policy still needs a signed-in user.
        options.FallbackPolicy = options.GetPolicy(AnyRole);
    }
}
