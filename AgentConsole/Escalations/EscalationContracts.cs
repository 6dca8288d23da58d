using System.Text.Json.Nodes;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;

namespace AgentConsole.Escalations;

/// <summary>
/// A decision on an escalation: <c>action</c> is approve, reject, edit-approve, return, take-over or cancel;
/// <c>reason</c> is required to reject and is the outcome of a take-over; <c>arguments</c> the corrected arguments of an
/// edit-approve; <c>guidance</c> what a return tells the agent; <c>value</c> the allowed decision output a route or
/// decision escalation is approved as; <c>version</c> (or If-Match) the version the reviewer saw. <c>comment</c> is the
/// older name of <c>reason</c>.
/// </summary>
public sealed record ResolveEscalationRequest(string? Action, string? Reason = null, JsonObject? Arguments = null, string? Guidance = null,
    string? Value = null, int? Version = null, string? Comment = null);

public sealed record ClaimEscalationRequest(int? Version = null);

public sealed record EscalationChoicesResponse(string Decision, string DecisionName, string? Output, IReadOnlyList<string> Values);

public sealed record EscalationResponse(
    Guid Id, Guid RunId, string Agent, EscalationKind Kind, EscalationStatus Status, string Reason, string WhatItDid, JsonNode? WhatItSaw,
    JsonNode? ProposedAction, RunLimit? Limit, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, string? ResolvedBy, string? Comment,
    DateTimeOffset? DueAt, EscalationDefaultAction DefaultAction, int Holds, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt, string? Resolution,
    EscalationResolvedVia? ResolvedVia, JsonNode? EditedArguments, string? ChosenValue, EscalationChoicesResponse? Choices, decimal CostSoFarUsd,
    int StepsSoFar, int Version)
{
    public static EscalationResponse From(Escalation e, DateTimeOffset now)
    {
        var claimed = e.ClaimExpiresAt > now;
        var choices = EscalationChoices.Parse(e.ChoicesJson);
        return new(e.Id, e.RunId, e.AgentKey, e.Kind, e.Status, e.Reason, e.WhatItDid, Parse(e.WhatItSaw), Parse(e.ProposedAction), e.Limit,
            e.CreatedAt, e.ResolvedAt, e.ResolvedBy, e.Comment, e.DueAt, e.DefaultAction, e.Holds, claimed ? e.ClaimedBy : null,
            claimed ? e.ClaimExpiresAt : null, e.Resolution, e.ResolvedVia, Parse(e.EditedArguments), e.ChosenValue,
            choices is null ? null : new EscalationChoicesResponse(choices.Decision, choices.DecisionName, choices.Output, choices.Values),
            e.CostSoFarUsd, e.StepsSoFar, e.Version);
    }

    internal static JsonNode? Parse(string? json) => string.IsNullOrEmpty(json) ? null : JsonNode.Parse(json);
}

public sealed record EscalationSummaryResponse(
    Guid Id, Guid RunId, string Agent, string AgentName, EscalationKind Kind, EscalationStatus Status, string Reason, DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt, decimal CostSoFarUsd, DateTimeOffset? ResolvedAt, string? ResolvedBy,
    string? Resolution, int Version)
{
    public static EscalationSummaryResponse From(EscalationListItem i) => new(i.Id, i.RunId, i.AgentKey, i.AgentName, i.Kind, i.Status, i.Reason,
        i.CreatedAt, i.DueAt, i.ClaimedBy, i.ClaimExpiresAt, i.CostSoFarUsd, i.ResolvedAt, i.ResolvedBy, i.Resolution, i.Version);
}

public sealed record EscalationPageResponse(IReadOnlyList<EscalationSummaryResponse> Items, string? NextCursor);

public sealed record EscalationCommandResponse(Guid? RunId, string? Message, int? Version = null);
