using AgentConsole.Engine.Escalations;

namespace AgentConsole.Engine.Agents.Documentation;

/// <summary>
/// The hand-over documentation of one agent (the practice guide: its scope, tools, decision rules and escalation
/// logic), assembled by <see cref="AgentDocumentation"/> from the catalogs and registries the engine itself uses.
/// </summary>
/// <param name="AutonomyAllows">What the autonomy level lets the agent do without a person, in words.</param>
/// <param name="ApprovalThresholdUsd">The engine's rule: an action costing more than this to undo waits for a person.</param>
/// <param name="Model">The model provider the agent's runs use.</param>
/// <param name="Scorecard">The scoping baseline and pilot scorecard; null when not asked for.</param>
public sealed record AgentDocument(
    string Key,
    string Name,
    string Purpose,
    AgentStatus Status,
    AutonomyLevel AutonomyLevel,
    string AutonomyAllows,
    IReadOnlyList<DocumentedTrigger> Triggers,
    IReadOnlyList<DocumentedTool> Tools,
    decimal ApprovalThresholdUsd,
    IReadOnlyList<DocumentedDecision> Decisions,
    IReadOnlyList<EngineRoute> EngineRoutes,
    EscalationPolicy Escalation,
    int MaxSteps,
    decimal BudgetPerRunUsd,
    int WallClockLimitSeconds,
    string Model,
    DocumentedPrompt Prompt,
    int Revision,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    DateTimeOffset GeneratedAt,
    Scoping.AgentScorecard? Scorecard = null);
