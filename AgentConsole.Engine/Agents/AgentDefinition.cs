namespace AgentConsole.Engine.Agents;

/// <summary>
/// The editable part of an agent, as the editor form and the REST API carry it.
/// Defaults are the practice guide's: 15 steps, $2 per run.
/// </summary>
public sealed class AgentDefinition
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string Purpose { get; set; } = "";
    public AgentStatus Status { get; set; } = AgentStatus.Draft;
    public AutonomyLevel AutonomyLevel { get; set; } = AutonomyLevel.ReadOnlyResearch;
    public int MaxSteps { get; set; } = AgentRules.DefaultMaxSteps;
    public decimal BudgetPerRunUsd { get; set; } = AgentRules.DefaultBudgetPerRunUsd;
    public int WallClockLimitSeconds { get; set; } = AgentRules.DefaultWallClockLimitSeconds;
    public string? Model { get; set; }

    /// <summary>The pass rate an evaluation of a prompt or decision version must reach before it may be published (0.5–1.0).</summary>
    public double PublishThreshold { get; set; } = Agent.DefaultPublishThreshold;
    public List<AgentInputField> InputFields { get; set; } = [];

    /// <summary>Granted tools with their scope, in the order of the common path (keys from the tool registry).</summary>
    public List<Tools.ToolGrant> Tools { get; set; } = [];

    /// <summary>Decision outputs that escalate to a person without asking the model.</summary>
    public List<EngineRoute> EngineRoutes { get; set; } = [];

    /// <summary>Extra kinds of sensitive values to redact before model calls.</summary>
    public List<AgentRedactionPattern> RedactionPatterns { get; set; } = [];

    /// <summary>When cases go to a person, who reviews them, the SLA and its default action, and how reviewers hear of them.</summary>
    public Escalations.EscalationPolicy Escalation { get; set; } = new();

    public static AgentDefinition From(Agent agent) => new()
    {
        Escalation = (agent.Escalation ?? new()).Clone(),
        Key = agent.Key,
        Name = agent.Name,
        Purpose = agent.Purpose,
        Status = agent.Status,
        AutonomyLevel = agent.AutonomyLevel,
        MaxSteps = agent.MaxSteps,
        BudgetPerRunUsd = agent.BudgetPerRunUsd,
        WallClockLimitSeconds = agent.WallClockLimitSeconds,
        Model = agent.Model,
        PublishThreshold = agent.PublishThreshold,
        InputFields = [.. agent.InputFields.Select(f => new AgentInputField
        {
            Name = f.Name,
            Type = f.Type,
            Required = f.Required,
            Description = f.Description,
        })],
        Tools = [.. agent.Tools.Select(g => new Tools.ToolGrant { Tool = g.Tool, Scope = g.Scope })],
        EngineRoutes = [.. agent.EngineRoutes.Select(r => new EngineRoute { Decision = r.Decision, Output = r.Output, Value = r.Value })],
        RedactionPatterns = [.. agent.RedactionPatterns.Select(p => new AgentRedactionPattern { Name = p.Name, Pattern = p.Pattern })],
    };

    internal void ApplyTo(Agent agent)
    {
        agent.Name = Name.Trim();
        // JSON can send null for these despite the annotations; AgentRules.Validate already treats null as empty.
        agent.Purpose = (Purpose ?? "").Trim();
        agent.Status = Status;
        agent.AutonomyLevel = AutonomyLevel;
        agent.MaxSteps = MaxSteps;
        agent.BudgetPerRunUsd = BudgetPerRunUsd;
        agent.WallClockLimitSeconds = WallClockLimitSeconds;
        agent.Model = string.IsNullOrWhiteSpace(Model) ? null : Model.Trim();
        agent.PublishThreshold = PublishThreshold;
        agent.InputFields = [.. (InputFields ?? []).Select(f => new AgentInputField
        {
            Name = f.Name.Trim(),
            Type = f.Type,
            Required = f.Required,
            Description = string.IsNullOrWhiteSpace(f.Description) ? null : f.Description.Trim(),
        })];
        agent.Tools = [.. (Tools ?? []).Select(g => new Tools.ToolGrant { Tool = g.Tool.Trim(), Scope = g.Scope })];
        agent.EngineRoutes = [.. (EngineRoutes ?? []).Select(r => new EngineRoute
        {
            Decision = r.Decision.Trim(),
            Output = string.IsNullOrWhiteSpace(r.Output) ? null : r.Output.Trim(),
            Value = r.Value,
        })];
        agent.Escalation = Escalations.EscalationPolicyRules.Normalize(Escalation);
        agent.RedactionPatterns = [.. (RedactionPatterns ?? []).Select(p => new AgentRedactionPattern { Name = p.Name.Trim(), Pattern = p.Pattern })];
    }
}
