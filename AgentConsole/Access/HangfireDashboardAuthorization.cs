using AgentConsole.Engine.Access;
using Hangfire.Dashboard;

namespace AgentConsole.Access;

/// <summary>The endpoint policy already admits only Admins; this repeats the check inside Hangfire's own pipeline.</summary>
internal sealed class HangfireDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}
