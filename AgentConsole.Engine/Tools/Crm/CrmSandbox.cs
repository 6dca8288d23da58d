using System.Text.Json.Nodes;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// The sandbox CRM as agents use it. Every write runs once per idempotency key: the effect and its
/// <see cref="CrmChange"/> row (UNIQUE key) commit in one transaction, and a call that comes again with the same
/// key gets the stored result back without a second effect.
/// </summary>
public sealed class CrmSandbox(IDbContextFactory<AgentConsoleDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The company of an e-mail address's domain, else the one with this name (case-insensitive).</summary>
    public async Task<CrmCompany?> FindCompanyAsync(string? name, string? email, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await FindCompanyAsync(db, name, email, ct);
    }

    public async Task<JsonObject> DescribeCompanyAsync(string? name, string? email, CancellationToken ct)
    {
        var company = await FindCompanyAsync(name, email, ct);
        if (company is null)
        {
            return new JsonObject
            {
                ["found"] = false,
                ["company"] = name,
                ["domain"] = DomainOf(email),
                ["note"] = "No account in the CRM matches this company or e-mail domain: treat it as a new prospect.",
            };
        }

        return new JsonObject
        {
            ["found"] = true,
            ["accountId"] = company.AccountId,
            ["company"] = company.Name,
            ["domain"] = company.Domain,
            ["industry"] = company.Industry,
            ["employees"] = company.Employees,
            ["team"] = company.OwningTeam,
            ["owner"] = company.OwningTeam,
            ["existingCustomer"] = company.ExistingCustomer,
            ["highStakes"] = company.HighStakes,
            ["highStakesReason"] = company.HighStakes ? company.HighStakesReason : null,
        };
    }

    public async Task<JsonObject> DescribeLeadAsync(string? email, string? leadId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = await FindLeadAsync(db, email, leadId, ct);
        if (lead is null)
        {
            return new JsonObject { ["found"] = false, ["email"] = email, ["note"] = "No lead with this e-mail or id in the CRM." };
        }

        var openTasks = await db.Set<CrmTask>().CountAsync(t => t.LeadId == lead.Id && !t.Done, ct);
        var result = LeadJson(lead);
        result["found"] = true;
        result["leadStatus"] = lead.Status.ToString();
        result["notes"] = lead.Notes;
        result["openTasks"] = openTasks;
        result["createdAt"] = lead.CreatedAt;
        return result;
    }

    /// <summary>Sets the given fields of the lead with this e-mail, creating the lead when the CRM does not know it yet.</summary>
    public Task<JsonObject> UpdateLeadAsync(CrmWrite write, string email, CrmLeadChanges changes, CancellationToken ct) =>
        WriteOnceAsync(write, async db =>
        {
            var now = time.GetUtcNow();
            var normalized = NormalizeEmail(email);
            var lead = await db.Set<CrmLead>().SingleOrDefaultAsync(l => l.Email == normalized, ct);
            var created = lead is null;
            var changed = new List<string>();
            if (lead is null)
            {
                var company = await FindCompanyAsync(db, changes.Company, normalized, ct);
                lead = new CrmLead
                {
                    Email = normalized,
                    Name = changes.Name ?? normalized.Split('@')[0],
                    CompanyId = company?.Id,
                    CompanyName = changes.Company ?? company?.Name ?? "",
                    Status = CrmLeadStatus.New,
                    CreatedAt = now,
                };
                db.Add(lead);
            }
            else
            {
                Set(changed, "name", lead.Name, changes.Name, v => lead.Name = v!);
                if (changes.Company is { } companyName && !string.Equals(companyName, lead.CompanyName, StringComparison.Ordinal))
                {
                    changed.Add($"company: {Show(lead.CompanyName)} → {companyName}");
                    lead.CompanyName = companyName;
                    lead.CompanyId = (await FindCompanyAsync(db, companyName, null, ct))?.Id ?? lead.CompanyId;
                }
            }

            Set(changed, "route", lead.Route, changes.Route, v => lead.Route = v);
            Set(changed, "owner", lead.Owner, changes.Owner, v => lead.Owner = v);
            Set(changed, "notes", lead.Notes, changes.Notes, v => lead.Notes = v);
            lead.UpdatedAt = now;
            lead.UpdatedBy = write.Actor;
            lead.Revision++;
            await db.SaveChangesAsync(ct);
            if (created)
            {
                db.Add(new CrmStatusChange { LeadId = lead.Id, To = CrmLeadStatus.New, Reason = "Created by an agent.", At = now, Actor = write.Actor, RunId = write.RunId, CallId = write.CallId });
            }

            // No "status" here on purpose: a later call's status parameter must not be filled from this answer.
            var result = new JsonObject
            {
                ["leadId"] = lead.LeadId,
                ["email"] = lead.Email,
                ["created"] = created,
                ["changed"] = new JsonArray([.. changed.Select(c => JsonValue.Create(c))]),
                ["route"] = lead.Route,
                ["owner"] = lead.Owner,
            };
            var summary = created
                ? $"Created lead {lead.Name} <{lead.Email}>{(changed.Count > 0 ? "; " + string.Join("; ", changed) : "")}"
                : changed.Count == 0 ? "No field changed." : string.Join("; ", changed);
            return (Change(write, created ? CrmChangeKind.LeadCreated : CrmChangeKind.LeadUpdated, lead.Id, summary, now), result);
        }, ct);

    public Task<JsonObject> SetStatusAsync(CrmWrite write, string? email, string? leadId, CrmLeadStatus status, string? reason, CancellationToken ct) =>
        WriteOnceAsync(write, async db =>
        {
            var now = time.GetUtcNow();
            var lead = await FindLeadAsync(db, email, leadId, ct) ?? throw NotFound(email, leadId);
            var previous = lead.Status;
            string summary;
            if (previous == status)
            {
                summary = $"Status already {status}.";
            }
            else
            {
                lead.Status = status;
                lead.UpdatedAt = now;
                lead.UpdatedBy = write.Actor;
                lead.Revision++;
                db.Add(new CrmStatusChange
                {
                    LeadId = lead.Id,
                    From = previous,
                    To = status,
                    Reason = Cut(reason, 1000),
                    At = now,
                    Actor = write.Actor,
                    RunId = write.RunId,
                    CallId = write.CallId,
                    IdempotencyKey = write.IdempotencyKey,
                });
                summary = $"Status {previous} → {status}{(reason is null ? "" : $": {Cut(reason, 300)}")}";
            }

            await db.SaveChangesAsync(ct);
            var result = new JsonObject
            {
                ["leadId"] = lead.LeadId,
                ["email"] = lead.Email,
                ["previousStatus"] = previous.ToString(),
                ["status"] = status.ToString(),
            };
            return (Change(write, CrmChangeKind.StatusSet, lead.Id, summary, now), result);
        }, ct);

    public Task<JsonObject> CreateTaskAsync(CrmWrite write, string? email, string? leadId, string title, DateOnly? due, string? assignee, CancellationToken ct) =>
        WriteOnceAsync(write, async db =>
        {
            var now = time.GetUtcNow();
            var lead = await FindLeadAsync(db, email, leadId, ct) ?? throw NotFound(email, leadId);
            var task = new CrmTask
            {
                LeadId = lead.Id,
                Title = title,
                DueDate = due,
                Assignee = assignee ?? lead.Owner,
                CreatedAt = now,
                CreatedBy = write.Actor,
                RunId = write.RunId,
                CallId = write.CallId,
                IdempotencyKey = write.IdempotencyKey,
            };
            db.Add(task);
            await db.SaveChangesAsync(ct);
            var result = new JsonObject
            {
                ["taskId"] = CrmIds.Task(task.Id),
                ["leadId"] = lead.LeadId,
                ["title"] = task.Title,
                ["dueDate"] = task.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["assignee"] = task.Assignee,
            };
            var summary = $"Task \"{Cut(title, 200)}\"{(due is { } d ? $" due {d:yyyy-MM-dd}" : "")}{(task.Assignee is { } a ? $" for {a}" : "")}";
            return (Change(write, CrmChangeKind.TaskCreated, lead.Id, summary, now), result);
        }, ct);

    internal static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    internal static string? DomainOf(string? email) =>
        email is not null && email.LastIndexOf('@') is var at and > 0 && at < email.Length - 1 ? email[(at + 1)..].Trim().ToLowerInvariant() : null;

    private async Task<JsonObject> WriteOnceAsync(
        CrmWrite write,
        Func<AgentConsoleDbContext, Task<(CrmChange Change, JsonObject Result)>> apply,
        CancellationToken ct)
    {
        if (write.IdempotencyKey is { } key && await StoredResultAsync(key, ct) is { } earlier)
        {
            return earlier;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var (change, result) = await apply(db);
            change.ResultJson = result.ToJsonString();
            db.Add(change);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return result;
        }
        catch (DbUpdateException) when (write.IdempotencyKey is not null)
        {
            // The same call ran concurrently (a re-sent call racing the original) and committed first: its result stands.
            if (await StoredResultAsync(write.IdempotencyKey, CancellationToken.None) is { } raced)
            {
                return raced;
            }

            throw;
        }
    }

    private async Task<JsonObject?> StoredResultAsync(string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.Set<CrmChange>().AsNoTracking().Where(c => c.IdempotencyKey == key).Select(c => c.ResultJson).FirstOrDefaultAsync(ct);
        return json is null ? null : JsonNode.Parse(json) as JsonObject;
    }

    private static CrmChange Change(CrmWrite write, CrmChangeKind kind, int leadId, string summary, DateTimeOffset at) => new()
    {
        Kind = kind,
        LeadId = leadId,
        Summary = Cut(summary, 2000)!,
        At = at,
        Actor = write.Actor,
        AgentKey = write.AgentKey,
        Tool = write.Tool,
        RunId = write.RunId,
        CallId = write.CallId,
        IdempotencyKey = write.IdempotencyKey,
    };

    internal static async Task<CrmCompany?> FindCompanyAsync(AgentConsoleDbContext db, string? name, string? email, CancellationToken ct)
    {
        var companies = db.Set<CrmCompany>();
        if (DomainOf(email) is { } domain && await companies.FirstOrDefaultAsync(c => c.Domain == domain, ct) is { } byDomain)
        {
            return byDomain;
        }

        if (name?.Trim() is not { Length: > 0 } trimmed)
        {
            return null;
        }

        var normalized = CrmCompany.Normalize(trimmed);
        return await companies.FirstOrDefaultAsync(c => c.NormalizedName == normalized, ct);
    }

    private static async Task<CrmLead?> FindLeadAsync(AgentConsoleDbContext db, string? email, string? leadId, CancellationToken ct)
    {
        var leads = db.Set<CrmLead>().Include(l => l.Company);
        if (leadId is not null && CrmIds.ParseLead(leadId) is { } id && await leads.SingleOrDefaultAsync(l => l.Id == id, ct) is { } byId)
        {
            return byId;
        }

        if (email is null)
        {
            return null;
        }

        var normalized = NormalizeEmail(email);
        return await leads.SingleOrDefaultAsync(l => l.Email == normalized, ct);
    }

    private static JsonObject LeadJson(CrmLead lead) => new()
    {
        ["leadId"] = lead.LeadId,
        ["name"] = lead.Name,
        ["email"] = lead.Email,
        ["company"] = lead.Company?.Name ?? lead.CompanyName,
        ["accountId"] = lead.Company?.AccountId,
        ["route"] = lead.Route,
        ["owner"] = lead.Owner,
    };

    private static ToolCallException NotFound(string? email, string? leadId) =>
        new(ToolFailureKind.InvalidArguments, $"The CRM has no lead {(leadId ?? email)}; create it with crm_update_lead first or check the address.");

    private static void Set(List<string> changed, string field, string? current, string? value, Action<string?> assign)
    {
        if (value is null || string.Equals(current, value, StringComparison.Ordinal))
        {
            return;
        }

        changed.Add($"{field}: {Show(current)} → {Cut(value, 200)}");
        assign(value);
    }

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "(none)" : Cut(value, 200)!;

    internal static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
