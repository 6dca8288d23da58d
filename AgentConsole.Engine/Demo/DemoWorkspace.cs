using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;

namespace AgentConsole.Engine.Demo;

/// <summary>
/// The demo workspace: the practice guide's "Inbound lead router" and one user per role,
/// so a newcomer can sign in as each kind of user and see real data on first start.
/// </summary>
public sealed class DemoWorkspace(AgentCatalog agents, UserAdministration users, FirstRunNotice notice, Microsoft.Extensions.Options.IOptions<DemoOptions> options)
{
    public const string LeadRouterKey = "lead-router";

    public static readonly IReadOnlyList<(string Role, string Email, string DisplayName)> Users =
    [
        (Roles.Owner, "owner@agentconsole.local", "Olivia Owner"),
        (Roles.Reviewer, "reviewer@agentconsole.local", "Ray Reviewer"),
        (Roles.Manager, "manager@agentconsole.local", "Mia Manager"),
    ];

    public static AgentDefinition LeadRouter() => new()
    {
        Key = LeadRouterKey,
        Name = "Inbound lead router",
        Purpose =
            "Routes inbound leads from the website contact form by company size. " +
            "Companies with fewer than 10 employees go to the SMB sequence, 11 to 500 employees to the " +
            "mid-market sequence, and more than 500 employees to human review. " +
            "It reads the lead, looks the company up in the CRM, enrolls the lead in the right sequence and " +
            "notifies the owning sales team. It never promises pricing or delivery dates and never edits " +
            "records owned by another team.",
        Status = AgentStatus.Pilot,
        AutonomyLevel = AutonomyLevel.ExternalLowStakes,
        MaxSteps = AgentRules.DefaultMaxSteps,
        BudgetPerRunUsd = AgentRules.DefaultBudgetPerRunUsd,
        WallClockLimitSeconds = AgentRules.DefaultWallClockLimitSeconds,
        InputFields =
        [
            new() { Name = "name", Type = InputFieldType.Text, Required = true, Description = "Full name of the lead" },
            new() { Name = "email", Type = InputFieldType.Text, Required = true, Description = "Work email address" },
            new() { Name = "company", Type = InputFieldType.Text, Required = true, Description = "Company name" },
            new() { Name = "employees", Type = InputFieldType.Number, Required = true, Description = "Number of employees; decides the route" },
            new() { Name = "industry", Type = InputFieldType.Text, Required = false, Description = "Industry as entered on the form" },
            new() { Name = "source", Type = InputFieldType.Text, Required = false, Description = "Lead source, e.g. website contact form" },
            new() { Name = "message", Type = InputFieldType.Text, Required = false, Description = "What the lead wrote" },
            new() { Name = "notes", Type = InputFieldType.Text, Required = false, Description = "Internal notes" },
        ],
    };

    public async Task SeedAsync(CancellationToken ct)
    {
        var result = await agents.CreateAsync(LeadRouter(), "system", ct);
        if (result.Outcome is not (AgentSaveOutcome.Saved or AgentSaveOutcome.Conflict))
        {
            throw new InvalidOperationException($"Seeding the demo agent failed: {string.Join("; ", result.Errors.SelectMany(e => e.Value))}");
        }

        var password = options.Value.UserPassword;
        foreach (var (role, email, displayName) in Users)
        {
            var created = await users.CreateAsync(email, displayName, [role], password, "system", ct);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seeding demo user {email} failed: {string.Join("; ", created.Errors)}");
            }

            if (created.GeneratedPassword is { } generated)
            {
                notice.Add(role, email, generated);
            }
        }
    }
}
