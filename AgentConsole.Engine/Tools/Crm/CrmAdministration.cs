using System.Text.RegularExpressions;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>The sandbox CRM as people browse and edit it on the CRM page; every edit is audited and listed as a change.</summary>
public sealed partial class CrmAdministration(IDbContextFactory<AgentConsoleDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const int MaxPageSize = 200;

    public async Task<CrmPage<CrmCompany>> CompaniesAsync(string? search, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<CrmCompany>().AsNoTracking();
        if (SearchTerm(search) is { } term)
        {
            // Translated to the database's lower() on both sides (see SearchTerm), never run as .NET string methods.
#pragma warning disable CA1304, CA1311, CA1862
            query = query.Where(c => c.Name.ToLower().Contains(term.ToLower()) || c.Domain.ToLower().Contains(term.ToLower()) || c.OwningTeam.ToLower().Contains(term.ToLower()));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(c => c.Name).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize)).ToListAsync(ct);
        return new CrmPage<CrmCompany>(items, total);
    }

    public async Task<CrmPage<CrmLead>> LeadsAsync(string? search, CrmLeadStatus? status, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<CrmLead>().AsNoTracking().Include(l => l.Company).AsQueryable();
        if (SearchTerm(search) is { } term)
        {
            // Translated to the database's lower() on both sides (see SearchTerm), never run as .NET string methods.
#pragma warning disable CA1304, CA1311, CA1862
            query = query.Where(l => l.Name.ToLower().Contains(term.ToLower()) || l.Email.ToLower().Contains(term.ToLower()) || l.CompanyName.ToLower().Contains(term.ToLower()));
#pragma warning restore CA1304, CA1311, CA1862
        }

        if (status is { } s)
        {
            query = query.Where(l => l.Status == s);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize)).ToListAsync(ct);
        return new CrmPage<CrmLead>(items, total);
    }

    public async Task<CrmCompany?> CompanyAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<CrmCompany>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
    }

    public async Task<CrmLeadDetail?> LeadAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = await db.Set<CrmLead>().AsNoTracking().Include(l => l.Company).SingleOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null)
        {
            return null;
        }

        var history = await db.Set<CrmStatusChange>().AsNoTracking().Where(s => s.LeadId == id).OrderByDescending(s => s.At).ThenByDescending(s => s.Id).Take(MaxPageSize).ToListAsync(ct);
        var tasks = await db.Set<CrmTask>().AsNoTracking().Where(t => t.LeadId == id).OrderBy(t => t.Done).ThenBy(t => t.DueDate).Take(MaxPageSize).ToListAsync(ct);
        var changes = await db.Set<CrmChange>().AsNoTracking().Where(c => c.LeadId == id).OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Take(MaxPageSize).ToListAsync(ct);
        return new CrmLeadDetail(lead, history, tasks, changes);
    }

    public async Task<CrmSaveResult> SaveCompanyAsync(CrmCompanyEdit edit, string actor, CancellationToken ct = default)
    {
        var errors = Validate(edit);
        if (errors.Count > 0)
        {
            return CrmSaveResult.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = edit.Name.Trim();
        var domain = edit.Domain.Trim().ToLowerInvariant();
        var normalized = CrmCompany.Normalize(name);
        if (await db.Set<CrmCompany>().AnyAsync(c => c.Id != edit.Id && c.NormalizedName == normalized, ct))
        {
            return CrmSaveResult.Invalid(nameof(edit.Name), $"Another company is already called {name}.");
        }

        if (await db.Set<CrmCompany>().AnyAsync(c => c.Id != edit.Id && c.Domain == domain, ct))
        {
            return CrmSaveResult.Invalid(nameof(edit.Domain), $"Another company already uses the domain {domain}.");
        }

        CrmCompany company;
        if (edit.Id is { } id)
        {
            company = await db.Set<CrmCompany>().SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new KeyNotFoundException($"Company {id} no longer exists.");
            if (edit.Revision is { } revision && revision != company.Revision)
            {
                return CrmSaveResult.Invalid("", $"{company.Name} was changed by {company.UpdatedBy} meanwhile; reload it and apply your change again.");
            }
        }
        else
        {
            company = new CrmCompany();
            db.Add(company);
        }

        var now = time.GetUtcNow();
        company.Name = name;
        company.Domain = domain;
        company.Industry = string.IsNullOrWhiteSpace(edit.Industry) ? null : edit.Industry.Trim();
        company.Employees = edit.Employees;
        company.OwningTeam = edit.OwningTeam.Trim();
        company.ExistingCustomer = edit.ExistingCustomer;
        company.HighStakes = edit.HighStakes;
        company.HighStakesReason = edit.HighStakes ? edit.HighStakesReason!.Trim() : null;
        company.HighStakesCostUsd = edit.HighStakes ? edit.HighStakesCostUsd : 0;
        company.UpdatedAt = now;
        company.UpdatedBy = actor;
        company.Revision++;
        await db.SaveChangesAsync(ct);

        var kind = edit.Id is null ? CrmChangeKind.CompanyCreated : CrmChangeKind.CompanyUpdated;
        var summary = $"{(edit.Id is null ? "Created" : "Updated")} company {company.Name} ({company.Domain}){(company.HighStakes ? $", high-stakes (${company.HighStakesCostUsd:0.##} to undo)" : "")}";
        db.Add(new CrmChange { Kind = kind, CompanyId = company.Id, Summary = summary, At = now, Actor = actor });
        audit.Record(db, new AuditEntry(AuditCategory.Human, "crm.company.saved", AuditActor.Parse(actor), summary,
            new { company = company.AccountId, company.Name, company.Domain, company.HighStakes, company.HighStakesCostUsd }));
        await db.SaveChangesAsync(ct);
        return CrmSaveResult.Ok(company.Id);
    }

    public async Task<CrmSaveResult> SaveLeadAsync(CrmLeadEdit edit, string actor, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(edit.Name) || edit.Name.Trim().Length > 200)
        {
            errors[nameof(edit.Name)] = "A name of 1 to 200 characters is required.";
        }

        if (edit.CompanyName?.Trim().Length > CrmCompany.NameMaxLength)
        {
            errors[nameof(edit.CompanyName)] = $"At most {CrmCompany.NameMaxLength} characters.";
        }

        if (!Enum.IsDefined(edit.Status))
        {
            errors[nameof(edit.Status)] = "Pick a status.";
        }

        if (edit.Route?.Length > 100 || edit.Owner?.Length > 100)
        {
            errors[edit.Route?.Length > 100 ? nameof(edit.Route) : nameof(edit.Owner)] = "At most 100 characters.";
        }

        if (edit.Notes?.Length > CrmLead.NotesMaxLength)
        {
            errors[nameof(edit.Notes)] = $"At most {CrmLead.NotesMaxLength:N0} characters.";
        }

        if (errors.Count > 0)
        {
            return CrmSaveResult.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lead = await db.Set<CrmLead>().SingleOrDefaultAsync(l => l.Id == edit.Id, ct);
        if (lead is null)
        {
            return CrmSaveResult.Invalid("", $"Lead {CrmIds.Lead(edit.Id)} no longer exists.");
        }

        if (lead.Revision != edit.Revision)
        {
            return CrmSaveResult.Invalid("", $"{lead.Name} was changed by {lead.UpdatedBy} meanwhile; reload the lead and apply your change again.");
        }

        var now = time.GetUtcNow();
        var changed = new List<string>();
        void Track(string field, string? before, string? after)
        {
            if (!string.Equals(before ?? "", after ?? "", StringComparison.Ordinal))
            {
                changed.Add($"{field}: {(string.IsNullOrEmpty(before) ? "(none)" : CrmSandbox.Cut(before, 100))} → {(string.IsNullOrEmpty(after) ? "(none)" : CrmSandbox.Cut(after, 100))}");
            }
        }

        string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        Track("name", lead.Name, edit.Name.Trim());
        Track("company", lead.CompanyName, Clean(edit.CompanyName));
        Track("route", lead.Route, Clean(edit.Route));
        Track("owner", lead.Owner, Clean(edit.Owner));
        Track("notes", lead.Notes, Clean(edit.Notes));
        if (lead.Status != edit.Status)
        {
            changed.Add($"status: {lead.Status} → {edit.Status}");
            db.Add(new CrmStatusChange { LeadId = lead.Id, From = lead.Status, To = edit.Status, Reason = "Edited on the CRM page.", At = now, Actor = actor });
        }

        if (changed.Count == 0)
        {
            return CrmSaveResult.Ok(lead.Id);
        }

        if (!string.Equals(lead.CompanyName, Clean(edit.CompanyName) ?? "", StringComparison.Ordinal))
        {
            lead.CompanyName = Clean(edit.CompanyName) ?? "";
            lead.CompanyId = (await CrmSandbox.FindCompanyAsync(db, lead.CompanyName, lead.Email, ct))?.Id;
        }

        lead.Name = edit.Name.Trim();
        lead.Route = Clean(edit.Route);
        lead.Owner = Clean(edit.Owner);
        lead.Notes = Clean(edit.Notes);
        lead.Status = edit.Status;
        lead.UpdatedAt = now;
        lead.UpdatedBy = actor;
        lead.Revision++;
        var summary = string.Join("; ", changed);
        db.Add(new CrmChange { Kind = CrmChangeKind.LeadUpdated, LeadId = lead.Id, Summary = CrmSandbox.Cut(summary, 2000)!, At = now, Actor = actor });
        audit.Record(db, new AuditEntry(AuditCategory.Human, "crm.lead.saved", AuditActor.Parse(actor),
            CrmSandbox.Cut($"Updated lead {lead.LeadId}: {summary}", AuditLog.SummaryMaxLength)!, new { lead = lead.LeadId, changes = changed }));
        await db.SaveChangesAsync(ct);
        return CrmSaveResult.Ok(lead.Id);
    }

    public static Dictionary<string, string> Validate(CrmCompanyEdit edit)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(edit.Name) || edit.Name.Trim().Length > CrmCompany.NameMaxLength)
        {
            errors[nameof(edit.Name)] = $"A name of 1 to {CrmCompany.NameMaxLength} characters is required.";
        }

        if (string.IsNullOrWhiteSpace(edit.Domain) || !DomainPattern().IsMatch(edit.Domain.Trim()))
        {
            errors[nameof(edit.Domain)] = "An e-mail domain such as acme.example is required (no @, no http://).";
        }

        if (edit.Employees is < 0 or > 10_000_000)
        {
            errors[nameof(edit.Employees)] = "Employees must be between 0 and 10,000,000.";
        }

        if (string.IsNullOrWhiteSpace(edit.OwningTeam) || edit.OwningTeam.Trim().Length > 100)
        {
            errors[nameof(edit.OwningTeam)] = "The owning team (1 to 100 characters) is required.";
        }

        if (edit.Industry?.Trim().Length > 100)
        {
            errors[nameof(edit.Industry)] = "At most 100 characters.";
        }

        if (edit.HighStakes)
        {
            if (string.IsNullOrWhiteSpace(edit.HighStakesReason) || edit.HighStakesReason.Trim().Length > CrmCompany.ReasonMaxLength)
            {
                errors[nameof(edit.HighStakesReason)] = $"Say why the account is high-stakes (1 to {CrmCompany.ReasonMaxLength} characters); reviewers read it.";
            }

            if (edit.HighStakesCostUsd is <= 0 or > 1_000_000)
            {
                errors[nameof(edit.HighStakesCostUsd)] = "The cost to undo must be more than $0 and at most $1,000,000.";
            }
        }

        return errors;
    }

    /// <summary>
    /// The search text; the queries lower-case it and the columns with the database's own lower(), so the search is
    /// case-insensitive on both providers (LIKE is on SQLite but not on PostgreSQL), and Contains escapes wildcards.
    /// </summary>
    private static string? SearchTerm(string? search)
    {
        var text = search?.Trim();
        return string.IsNullOrEmpty(text) ? null : CrmSandbox.Cut(text, 100);
    }

    [GeneratedRegex(@"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();
}
