namespace AgentConsole.Engine.Access;

/// <summary>The four roles of the console; DESIGN.md says who does what.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Owner = "Owner";
    public const string Reviewer = "Reviewer";
    public const string Manager = "Manager";

    public static readonly IReadOnlyList<string> All = [Admin, Owner, Reviewer, Manager];

    public static bool IsKnown(string? role) =>
        role is not null && All.Contains(role, StringComparer.Ordinal);

    public static string Describe(string role) => role switch
    {
        Admin => "Users, roles, API keys, model providers, notification channels, retention",
        Owner => "Edits decision tables, prompts, triggers, tool grants; runs tests; publishes",
        Reviewer => "Clears the escalation queue",
        Manager => "Watches volume, cost, escalation and error rates",
        _ => role,
    };
}
