using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// Creating, changing, rotating and deleting triggers (Owners), for the UI and the REST API alike. Every change is
/// validated by the common rules and the kind's <see cref="ITriggerKindHandler"/>, audited without secret values, and
/// handed to the handler afterwards (so a schedule's recurring job follows its trigger).
/// </summary>
public sealed partial class TriggerCatalog(
    IDbContextFactory<AgentConsoleDbContext> dbFactory,
    IEnumerable<ITriggerKindHandler> handlers,
    TriggerSecrets secrets,
    TriggerDirectory directory,
    AuditLog audit,
    IOptions<TriggerOptions> options,
    TimeProvider time,
    ILogger<TriggerCatalog> logger)
{
    public const int MaxNameLength = 120;
    public const int MaxSettingsChars = 16_384;
    public const int MaxSecretChars = 8_192;

    private readonly Dictionary<TriggerKind, ITriggerKindHandler> _handlers = handlers.ToDictionary(h => h.Kind);

    /// <summary>The kinds this installation can create (one handler registered per kind).</summary>
    public IReadOnlyCollection<TriggerKind> Kinds => _handlers.Keys;

    public ITriggerKindHandler? Handler(TriggerKind kind) => _handlers.GetValueOrDefault(kind);

    public async Task<IReadOnlyList<Trigger>> ListAsync(string? agentKey = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Triggers.AsNoTracking();
        if (agentKey is not null)
        {
            var key = agentKey.Trim().ToLowerInvariant();
            query = query.Where(t => t.AgentKey == key);
        }

        return await query.OrderBy(t => t.AgentKey).ThenBy(t => t.Name).ToListAsync(ct);
    }

    public async Task<Trigger?> FindAsync(string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = key.Trim().ToLowerInvariant();
        return await db.Triggers.AsNoTracking().SingleOrDefaultAsync(t => t.Key == normalized, ct);
    }

    /// <summary>The names of the secrets a trigger has (never their values).</summary>
    public IReadOnlyList<string> SecretNames(Trigger trigger) => TriggerSecrets.Names(secrets.Read(trigger));

    public async Task<TriggerCommandResult> CreateAsync(string agentKey, TriggerDraft draft, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalizedAgent = agentKey.Trim().ToLowerInvariant();
        var agent = await db.Agents.AsNoTracking().SingleOrDefaultAsync(a => a.Key == normalizedAgent, ct);
        if (agent is null)
        {
            return TriggerCommandResult.NotFound($"No agent with key '{agentKey}'.");
        }

        if (await db.Triggers.CountAsync(t => t.AgentKey == agent.Key, ct) >= options.Value.MaxTriggersPerAgent)
        {
            return TriggerCommandResult.Conflict($"Agent '{agent.Key}' already has {options.Value.MaxTriggersPerAgent} triggers, the most allowed.");
        }

        var now = time.GetUtcNow();
        var trigger = new Trigger
        {
            Id = Guid.CreateVersion7(now),
            AgentKey = agent.Key,
            Kind = draft.Kind,
            CreatedAt = now,
            CreatedBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
        };
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var key = draft.Key is { Length: > 0 } given ? given.Trim().ToLowerInvariant() : Slug.From($"{agent.Key} {draft.Name}");
        if (key.Length == 0 || key != Slug.From(key))
        {
            errors["key"] = ["A key has lower-case letters, digits and single dashes, e.g. lead-router-contact-form."];
        }

        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        string? signing = null;
        if (Handler(draft.Kind) is { HasSigningSecret: true })
        {
            signing = TriggerSecrets.NewSigningSecret();
            current[TriggerSecrets.Signing] = signing;
        }

        Apply(trigger, agent, draft, current, errors);
        if (errors.Count > 0)
        {
            return TriggerCommandResult.Invalid(errors);
        }

        if (draft.Key is not { Length: > 0 })
        {
            key = await FreeKeyAsync(db, key, ct);
        }
        else if (await db.Triggers.AnyAsync(t => t.Key == key, ct))
        {
            return TriggerCommandResult.Conflict($"A trigger with key '{key}' already exists.");
        }

        trigger.Key = key;
        db.Triggers.Add(trigger);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "trigger.created", AuditActor.Parse(actor),
            $"{trigger.Kind} trigger '{trigger.Name}' ({trigger.Key}) created for agent {agent.Key}", Describe(trigger, current), agent.Key));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost a race with another create of the same key; anything else is a real failure.
            if (await ExistsAsync(key, ct))
            {
                return TriggerCommandResult.Conflict($"A trigger with key '{key}' already exists.");
            }

            throw;
        }

        await AppliedAsync(trigger, deleted: false, ct);
        LogChanged(logger, trigger.Key, "created", actor);
        return new TriggerCommandResult(TriggerCommandOutcome.Done, trigger, signing);
    }

    public async Task<TriggerCommandResult> UpdateAsync(string key, TriggerDraft draft, int? expectedRevision, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await TrackedAsync(db, key, ct) is not { } trigger)
        {
            return TriggerCommandResult.NotFound($"No trigger with key '{key}'.");
        }

        if (expectedRevision is { } revision && revision != trigger.Revision)
        {
            return TriggerCommandResult.Stale($"Trigger '{trigger.Key}' was changed by {trigger.UpdatedBy} (revision {trigger.Revision}); reload and apply your change again.", trigger);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (draft.Kind != trigger.Kind)
        {
            errors["kind"] = [$"A trigger keeps its kind ({trigger.Kind}); create a new trigger for another kind."];
        }

        if (draft.Key is { Length: > 0 } newKey && !string.Equals(newKey.Trim(), trigger.Key, StringComparison.OrdinalIgnoreCase))
        {
            errors["key"] = ["A trigger keeps its key (senders use it in their URL)."];
        }

        var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Key == trigger.AgentKey, ct);
        var before = Describe(trigger, secrets.Read(trigger));
        var current = secrets.Read(trigger);
        Apply(trigger, agent, draft, current, errors);
        if (errors.Count > 0)
        {
            return TriggerCommandResult.Invalid(errors);
        }

        Touch(trigger, actor);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "trigger.updated", AuditActor.Parse(actor),
            $"Trigger '{trigger.Name}' ({trigger.Key}) updated to revision {trigger.Revision}", new { before, after = Describe(trigger, current) }, trigger.AgentKey));
        if (!await SaveAsync(db, ct))
        {
            return TriggerCommandResult.Stale($"Trigger '{trigger.Key}' was changed at the same time; reload and apply your change again.");
        }

        await AppliedAsync(trigger, deleted: false, ct);
        LogChanged(logger, trigger.Key, "updated", actor);
        return new TriggerCommandResult(TriggerCommandOutcome.Done, trigger);
    }

    public async Task<TriggerCommandResult> SetEnabledAsync(string key, bool enabled, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await TrackedAsync(db, key, ct) is not { } trigger)
        {
            return TriggerCommandResult.NotFound($"No trigger with key '{key}'.");
        }

        if (trigger.Enabled == enabled)
        {
            return new TriggerCommandResult(TriggerCommandOutcome.Done, trigger);
        }

        trigger.Enabled = enabled;
        Touch(trigger, actor);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, enabled ? "trigger.enabled" : "trigger.disabled", AuditActor.Parse(actor),
            $"Trigger '{trigger.Name}' ({trigger.Key}) {(enabled ? "enabled" : "disabled")}", null, trigger.AgentKey));
        if (!await SaveAsync(db, ct))
        {
            return TriggerCommandResult.Stale($"Trigger '{trigger.Key}' was changed at the same time; reload and try again.");
        }

        await AppliedAsync(trigger, deleted: false, ct);
        return new TriggerCommandResult(TriggerCommandOutcome.Done, trigger);
    }

    /// <summary>Generates a new signing secret; the previous one keeps working for <see cref="TriggerOptions.SecretOverlap"/>.</summary>
    public async Task<TriggerCommandResult> RotateSecretAsync(string key, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await TrackedAsync(db, key, ct) is not { } trigger)
        {
            return TriggerCommandResult.NotFound($"No trigger with key '{key}'.");
        }

        if (Handler(trigger.Kind) is not { HasSigningSecret: true })
        {
            return TriggerCommandResult.Conflict($"A {trigger.Kind} trigger has no signing secret to rotate.", trigger);
        }

        var now = time.GetUtcNow();
        var current = secrets.Read(trigger);
        var overlap = options.Value.SecretOverlap;
        if (current.TryGetValue(TriggerSecrets.Signing, out var old) && overlap > TimeSpan.Zero)
        {
            current[TriggerSecrets.PreviousSigning] = old;
            current[TriggerSecrets.PreviousSigningUntil] = (now + overlap).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            current.Remove(TriggerSecrets.PreviousSigning);
            current.Remove(TriggerSecrets.PreviousSigningUntil);
        }

        var fresh = TriggerSecrets.NewSigningSecret();
        current[TriggerSecrets.Signing] = fresh;
        secrets.Write(trigger, current);
        Touch(trigger, actor);
        audit.Record(db, new AuditEntry(AuditCategory.Security, "trigger.secret-rotated", AuditActor.Parse(actor),
            $"Signing secret of trigger '{trigger.Name}' ({trigger.Key}) rotated; the previous one works until {now + overlap:u}", new { overlap = overlap.ToString() }, trigger.AgentKey));
        if (!await SaveAsync(db, ct))
        {
            return TriggerCommandResult.Stale($"Trigger '{trigger.Key}' was changed at the same time; try again.");
        }

        directory.Invalidate(trigger.Key);
        LogChanged(logger, trigger.Key, "secret rotated", actor);
        return new TriggerCommandResult(TriggerCommandOutcome.Done, trigger, fresh);
    }

    /// <summary>Deletes a trigger; its inbox events stay (runs link to them) until run-data retention removes them.</summary>
    public async Task<TriggerCommandResult> DeleteAsync(string key, int? expectedRevision, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await TrackedAsync(db, key, ct) is not { } trigger)
        {
            return TriggerCommandResult.NotFound($"No trigger with key '{key}'.");
        }

        if (expectedRevision is { } revision && revision != trigger.Revision)
        {
            return TriggerCommandResult.Stale($"Trigger '{trigger.Key}' was changed by {trigger.UpdatedBy} (revision {trigger.Revision}); reload first.", trigger);
        }

        db.Triggers.Remove(trigger);
        audit.Record(db, new AuditEntry(AuditCategory.Configuration, "trigger.deleted", AuditActor.Parse(actor),
            $"Trigger '{trigger.Name}' ({trigger.Key}) deleted", Describe(trigger, secrets.Read(trigger)), trigger.AgentKey));
        if (!await SaveAsync(db, ct))
        {
            return TriggerCommandResult.Stale($"Trigger '{trigger.Key}' was changed at the same time; reload first.");
        }

        await AppliedAsync(trigger, deleted: true, ct);
        LogChanged(logger, trigger.Key, "deleted", actor);
        return new TriggerCommandResult(TriggerCommandOutcome.Done, trigger);
    }

    /// <summary>
    /// What a poller or schedule reports after each check: healthy (error null) or what failed, and its new
    /// high-water mark. Not audited per check (that would flood the log); the first failure after a healthy check
    /// and the recovery are.
    /// </summary>
    public async Task RecordCheckAsync(Guid triggerId, string? error, string? cursor = null, bool setCursor = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trigger = await db.Triggers.SingleOrDefaultAsync(t => t.Id == triggerId, ct);
        if (trigger is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var wasHealthy = trigger.LastError is null;
        trigger.LastCheckedAt = now;
        if (setCursor)
        {
            trigger.Cursor = cursor;
        }

        if (error is null)
        {
            trigger.LastError = null;
            trigger.ConsecutiveFailures = 0;
            if (!wasHealthy)
            {
                audit.Record(db, new AuditEntry(AuditCategory.Trigger, "trigger.recovered", AuditActor.System,
                    $"Trigger '{trigger.Name}' ({trigger.Key}) is healthy again", null, trigger.AgentKey));
            }
        }
        else
        {
            trigger.LastError = error.Length > 2_000 ? error[..2_000] : error;
            trigger.LastErrorAt = now;
            trigger.ConsecutiveFailures++;
            if (wasHealthy)
            {
                audit.Record(db, new AuditEntry(AuditCategory.Trigger, "trigger.unhealthy", AuditActor.System,
                    $"Trigger '{trigger.Name}' ({trigger.Key}) failed: {trigger.LastError}", new { error = trigger.LastError }, trigger.AgentKey));
            }
        }

        // Health and cursors are the engine's own bookkeeping; they must not bump the revision people edit against.
        db.Entry(trigger).Property(t => t.Revision).IsModified = false;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The decrypted secrets of a trigger, for the kind that needs them (an IMAP password, a connection string).</summary>
    public IReadOnlyDictionary<string, string> SecretsOf(Trigger trigger) => secrets.Read(trigger);

    private void Apply(Trigger trigger, Agent agent, TriggerDraft draft, Dictionary<string, string> current, Dictionary<string, string[]> errors)
    {
        var name = draft.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            errors["name"] = [$"Give the trigger a name of 1–{MaxNameLength} characters."];
        }

        var handler = Handler(draft.Kind);
        if (handler is null)
        {
            errors["kind"] = [$"Kind '{draft.Kind}' is not available here; the kinds are {string.Join(", ", Kinds)}."];
        }

        CompiledTriggerFilter.Compile(draft.Filter, out var filterErrors);
        foreach (var (at, messages) in filterErrors)
        {
            errors[at] = messages;
        }

        foreach (var (at, messages) in TriggerMapping.Validate(draft.Mapping, agent))
        {
            errors[at] = messages;
        }

        var dedupField = string.IsNullOrWhiteSpace(draft.DedupField) ? null : draft.DedupField.Trim();
        if (dedupField is not null && PayloadPath.Validate(dedupField) is { } dedupError)
        {
            errors["dedupField"] = [dedupError];
        }

        var window = draft.DedupWindowMinutes ?? TriggerOptions.DefaultDedupWindowMinutes;
        if (window is < 1 or > 525_600)
        {
            errors["dedupWindowMinutes"] = ["The de-duplication window is 1 minute to 365 days (525,600 minutes)."];
        }

        var settings = draft.Settings?.DeepClone().AsObject() ?? new JsonObject();
        var settingsJson = settings.ToJsonString();
        if (settingsJson.Length > MaxSettingsChars)
        {
            errors["settings"] = [$"Settings have at most {MaxSettingsChars:N0} characters of JSON."];
        }

        foreach (var (secretName, value) in draft.Secrets ?? new Dictionary<string, string>())
        {
            if (handler is null || !handler.SecretNames.Contains(secretName))
            {
                errors[$"secrets.{secretName}"] = [handler is { SecretNames.Count: > 0 }
                    ? $"A {draft.Kind} trigger has the secrets {string.Join(", ", handler.SecretNames)}."
                    : $"A {draft.Kind} trigger takes no secrets."];
            }
            else if (value is null || value.Length > MaxSecretChars)
            {
                errors[$"secrets.{secretName}"] = [$"A secret has at most {MaxSecretChars:N0} characters (empty removes it)."];
            }
            else if (value.Length == 0)
            {
                current.Remove(secretName);
            }
            else
            {
                current[secretName] = value;
            }
        }

        handler?.Validate(settings, current, errors);
        if (errors.Count > 0)
        {
            return;
        }

        trigger.Name = name;
        trigger.Enabled = draft.Enabled;
        trigger.FilterJson = draft.Filter?.ToJson();
        trigger.MappingJson = TriggerMapping.ToJson(draft.Mapping);
        trigger.SettingsJson = settings.ToJsonString();
        trigger.DedupField = dedupField;
        trigger.DedupWindowMinutes = window;
        secrets.Write(trigger, current);
    }

    private void Touch(Trigger trigger, string actor)
    {
        trigger.UpdatedAt = time.GetUtcNow();
        trigger.UpdatedBy = actor;
        trigger.Revision++;
    }

    private static object Describe(Trigger trigger, IReadOnlyDictionary<string, string> secretValues) => new
    {
        trigger.Key,
        trigger.Name,
        kind = trigger.Kind.ToString(),
        trigger.Enabled,
        filter = trigger.FilterJson is null ? null : JsonNode.Parse(trigger.FilterJson),
        mapping = trigger.MappingJson is null ? null : JsonNode.Parse(trigger.MappingJson),
        settings = JsonNode.Parse(trigger.SettingsJson),
        secrets = TriggerSecrets.Names(secretValues),
        trigger.DedupField,
        trigger.DedupWindowMinutes,
    };

    private async Task AppliedAsync(Trigger trigger, bool deleted, CancellationToken ct)
    {
        directory.Invalidate(trigger.Key);
        if (Handler(trigger.Kind) is not { } handler)
        {
            return;
        }

        try
        {
            await handler.AppliedAsync(trigger, deleted, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The trigger is saved; what could not be set up shows on its page as unhealthy rather than being lost.
            LogApplyFailed(logger, ex, trigger.Key);
            if (!deleted)
            {
                await RecordCheckAsync(trigger.Id, $"Could not set the trigger up: {ex.Message}", ct: ct);
            }
        }
    }

    private static Task<Trigger?> TrackedAsync(AgentConsoleDbContext db, string key, CancellationToken ct)
    {
        var normalized = key.Trim().ToLowerInvariant();
        return db.Triggers.SingleOrDefaultAsync(t => t.Key == normalized, ct);
    }

    private static async Task<string> FreeKeyAsync(AgentConsoleDbContext db, string key, CancellationToken ct)
    {
        var candidate = key;
        for (var n = 2; await db.Triggers.AnyAsync(t => t.Key == candidate, ct); n++)
        {
            candidate = $"{key}-{n}";
        }

        return candidate;
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Triggers.AnyAsync(t => t.Key == key, ct);
    }

    private static async Task<bool> SaveAsync(AgentConsoleDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trigger {Key} {Change} by {Actor}")]
    private static partial void LogChanged(ILogger logger, string key, string change, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trigger {Key} was saved but its kind could not set it up")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string key);
}
