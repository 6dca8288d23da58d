namespace AgentConsole.Engine.Escalations;

/// <summary>One escalation as the queue lists it, with its run's agent and who holds it.</summary>
public sealed record EscalationListItem(
    Guid Id, Guid RunId, string AgentKey, string AgentName, EscalationKind Kind, EscalationStatus Status, string Reason,
    DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt, string? ProposedAction,
    decimal CostSoFarUsd, DateTimeOffset? ResolvedAt, string? ResolvedBy, string? Resolution, int Version);

public sealed record EscalationPage(IReadOnlyList<EscalationListItem> Items, string? NextCursor);

/// <summary>Counts for the queue's header and filters.</summary>
public sealed record EscalationCounts(int Open, int Overdue, int DueSoon, int Claimed, IReadOnlyDictionary<string, int> ByAgent, IReadOnlyDictionary<EscalationKind, int> ByKind);
