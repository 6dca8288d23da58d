using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AgentConsole.Engine.Agents;

public enum AgentSaveOutcome
{
    Saved,
    Invalid,
    NotFound,
    Conflict,
}

public sealed record AgentSaveResult(AgentSaveOutcome Outcome, Agent? Agent, IReadOnlyDictionary<string, string[]> Errors, string? Message)
{
    internal static AgentSaveResult Saved(Agent agent) => new(AgentSaveOutcome.Saved, agent, Empty, null);

    internal static AgentSaveResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(AgentSaveOutcome.Invalid, null, errors, "The agent definition is not valid.");

    internal static AgentSaveResult NotFound(string key) => new(AgentSaveOutcome.NotFound, null, Empty, $"No agent with key '{key}'.");

    internal static AgentSaveResult Conflict(string message) => new(AgentSaveOutcome.Conflict, null, Empty, message);

    private static readonly Dictionary<string, string[]> Empty = [];
}

/// <summary>Reads and writes agent definitions; the one place both the editor and the REST API go through.</summary>
public sealed partial class AgentCatalog(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    AuditLog audit,
    Models.ModelProviders models,
    Microsoft.Extensions.Options.IOptions<Runs.Redaction.RedactionOptions> redaction,
    Tools.ToolRegistry tools,
    TimeProvider time,
    ILogger<AgentCatalog> logger)
{
    public async Task<IReadOnlyList<Agent>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Agents.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
    }

    public async Task<Agent?> FindAsync(string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = key.Trim().ToLowerInvariant();
        return await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == normalized, ct);
    }

    public async Task<AgentSaveResult> CreateAsync(AgentDefinition definition, string actor, CancellationToken ct = default)
    {
        definition.Key = definition.Key?.Trim().ToLowerInvariant() ?? "";
        var errors = AgentRules.Validate(definition, redaction.Value.MaxCustomPatterns);
        CheckModel(definition, null, errors);
        CheckTools(definition, errors);
        if (errors.Count > 0)
        {
            return AgentSaveResult.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Agents.AnyAsync(a => a.Key == definition.Key, ct))
        {
            return AgentSaveResult.Conflict($"An agent with key '{definition.Key}' already exists.");
        }

        var now = time.GetUtcNow();
        var agent = new Agent
        {
            Id = Guid.NewGuid(),
            Key = definition.Key,
            CreatedAt = now,
            CreatedBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
            Revision = 1,
        };
        definition.ApplyTo(agent);
        db.Agents.Add(agent);
        audit.Record(db, new AuditEntry(
            AuditCategory.Configuration, "agent.created", AuditActor.Parse(actor),
            $"Agent '{agent.Name}' ({agent.Key}) created", AuditDiff.Of<AgentDefinition>(null, AgentDefinition.From(agent)), agent.Key));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost a race with another create of the same key; anything else is a real failure.
            if (await KeyExistsAsync(definition.Key, ct))
            {
                return AgentSaveResult.Conflict($"An agent with key '{definition.Key}' already exists.");
            }

            throw;
        }

        LogAgentCreated(logger, agent.Key, actor);
        return AgentSaveResult.Saved(agent);
    }

    /// <summary>
    /// A new model choice must name a configured provider; an agent whose provider was removed from configuration
    /// can still be saved unchanged (its runs say what is missing).
    /// </summary>
    /// <summary>Grants name registered tools, each once, in a scope the tool has; a read tool's grant is stored as read.</summary>
    private void CheckTools(AgentDefinition definition, Dictionary<string, string[]> errors)
    {
        var grants = definition.Tools ?? [];
        tools.ValidateGrants(grants, errors);
        foreach (var grant in grants)
        {
            if (grant is not null && tools.Find(grant.Tool.Trim()) is { } tool)
            {
                grant.Scope = Tools.ToolRegistry.Normalize(tool, grant.Scope);
            }
        }
    }

    /// <summary>Replaces an agent's grants (PUT /api/v1/agents/{key}/tools); the rest of the definition stays.</summary>
    public async Task<AgentSaveResult> SetToolsAsync(string key, IReadOnlyList<Tools.ToolGrant> grants, int? expectedRevision, string actor, CancellationToken ct = default)
    {
        var agent = await FindAsync(key, ct);
        if (agent is null)
        {
            return AgentSaveResult.NotFound(key);
        }

        var definition = AgentDefinition.From(agent);
        definition.Tools = [.. grants];
        return await UpdateAsync(agent.Key, definition, expectedRevision, actor, ct);
    }

    private void CheckModel(AgentDefinition definition, string? current, Dictionary<string, string[]> errors)
    {
        var model = string.IsNullOrWhiteSpace(definition.Model) ? null : definition.Model.Trim();
        if (model is null || errors.ContainsKey("model") || string.Equals(model, current, StringComparison.Ordinal) || models.Resolve(model) is not null)
        {
            return;
        }

        errors["model"] = [$"No model provider '{model}' is configured. Configured providers: {string.Join(", ", models.List().Select(p => p.Name))} (AgentConsole:Models:Providers)."];
    }

    /// <summary>Replaces the definition of <paramref name="key"/>; pass the revision you edited to detect concurrent edits.</summary>
    public async Task<AgentSaveResult> UpdateAsync(
        string key, AgentDefinition definition, int? expectedRevision, string actor, CancellationToken ct = default)
    {
        var normalized = key.Trim().ToLowerInvariant();
        definition.Key = string.IsNullOrWhiteSpace(definition.Key) ? normalized : definition.Key.Trim().ToLowerInvariant();
        var errors = AgentRules.Validate(definition, redaction.Value.MaxCustomPatterns);
        if (definition.Key != normalized)
        {
            errors["key"] = ["The key of an existing agent cannot change; create a new agent instead."];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var agent = await db.Agents.SingleOrDefaultAsync(a => a.Key == normalized, ct);
        if (agent is null)
        {
            return AgentSaveResult.NotFound(normalized);
        }

        CheckModel(definition, agent.Model, errors);
        CheckTools(definition, errors);
        if (errors.Count > 0)
        {
            return AgentSaveResult.Invalid(errors);
        }

        if (expectedRevision is { } expected && expected != agent.Revision)
        {
            return AgentSaveResult.Conflict(
                $"Agent '{normalized}' was changed by {agent.UpdatedBy} (revision {agent.Revision}) after you loaded revision {expected}. Reload and apply your edits again.");
        }

        var before = AgentDefinition.From(agent);
        definition.ApplyTo(agent);
        var diff = AuditDiff.Of(before, AgentDefinition.From(agent));
        var changed = string.Join(", ", AuditDiff.ChangedFields(diff));
        audit.Record(db, new AuditEntry(
            AuditCategory.Configuration, "agent.updated", AuditActor.Parse(actor),
            changed.Length == 0 ? $"Agent '{agent.Name}' saved without changes" : $"Agent '{agent.Name}' updated: {changed}",
            diff, agent.Key));
        agent.UpdatedAt = time.GetUtcNow();
        agent.UpdatedBy = actor;
        agent.Revision++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AgentSaveResult.Conflict($"Agent '{normalized}' was changed by someone else while you saved. Reload and apply your edits again.");
        }

        LogAgentUpdated(logger, agent.Key, agent.Revision, actor);
        return AgentSaveResult.Saved(agent);
    }

    private async Task<bool> KeyExistsAsync(string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Agents.AnyAsync(a => a.Key == key, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Key} created by {Actor}")]
    private static partial void LogAgentCreated(ILogger logger, string key, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Key} updated to revision {Revision} by {Actor}")]
    private static partial void LogAgentUpdated(ILogger logger, string key, int revision, string actor);
}
