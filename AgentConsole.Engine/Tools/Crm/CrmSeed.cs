using AgentConsole.Engine.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Engine.Tools.Crm;

/// <summary>
/// The demo companies and leads of the sandbox CRM, written once: when the CRM already has companies nothing is
/// added, so a restart or a person's deletions are never undone.
/// </summary>
public sealed class CrmSeed(IDbContextFactory<AgentConsoleDbContext> dbFactory, TimeProvider time)
{
    public const decimal KeyAccountCostToUndoUsd = 250m;

    /// <summary>Fresh entities on every read, so adding them to a context never tracks a shared instance.</summary>
    public static IReadOnlyList<CrmCompany> Companies =>
    [
        Company("Acme GmbH", "acme.example", "Manufacturing", 42, "Sales EMEA"),
        Company("Globex", "globex.example", "Banking", 1200, "Enterprise Sales", customer: true),
        Company("Initech", "initech.example", "Software", 350, "Sales Americas", customer: true,
            highStakes: "key account in contract renegotiation; every message goes through the account executive"),
        Company("Umbrella Ltd", "umbrella.example", "Pharmaceuticals", 8, "Sales EMEA"),
        Company("Hooli", "hooli.example", "Internet", 9000, "Enterprise Sales"),
        Company("Stark Industries", "stark.example", "Aerospace", 4800, "Enterprise Sales", customer: true),
        Company("Wayne Enterprises", "wayne.example", "Conglomerate", 2500, "Enterprise Sales"),
        Company("Vandelay Industries", "vandelay.example", "Import/Export", 12, "Sales Americas"),
        Company("Soylent Corp", "soylent.example", "Food", 480, "Sales APAC"),
        Company("Cyberdyne Systems", "cyberdyne.example", "Robotics", 210, "Sales Americas"),
        Company("Wonka Industries", "wonka.example", "Confectionery", 95, "Sales EMEA", customer: true),
        Company("Tyrell Corporation", "tyrell.example", "Biotech", 760, "Sales APAC"),
    ];

    public static readonly IReadOnlyList<(string Name, string Email, string Company, CrmLeadStatus Status, string? Owner)> Leads =
    [
        ("Peter Gibbons", "peter@initech.example", "Initech", CrmLeadStatus.Contacted, "Sales Americas"),
        ("Alice Ng", "alice@umbrella.example", "Umbrella Ltd", CrmLeadStatus.New, null),
        ("Hank Scorpio", "hank@globex.example", "Globex", CrmLeadStatus.Qualified, "Enterprise Sales"),
        ("Art Vandelay", "art@vandelay.example", "Vandelay Industries", CrmLeadStatus.Disqualified, "Sales Americas"),
        ("Miles Dyson", "miles@cyberdyne.example", "Cyberdyne Systems", CrmLeadStatus.New, null),
        ("Charlie Bucket", "charlie@wonka.example", "Wonka Industries", CrmLeadStatus.Routed, "Sales EMEA"),
    ];

    /// <summary>Adds the demo data when the sandbox CRM has no company yet; true when it did.</summary>
    public async Task<bool> EnsureAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<CrmCompany>().AnyAsync(ct))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var companies = Companies.ToList();
        foreach (var company in companies)
        {
            (company.UpdatedAt, company.UpdatedBy, company.Revision) = (now, "system", 1);
        }

        db.AddRange(companies);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same moment seeded first (the unique names refused these rows).
            return false;
        }

        var leads = Leads.Select(l => new CrmLead
        {
            Name = l.Name,
            Email = l.Email,
            CompanyId = companies.Single(c => c.Name == l.Company).Id,
            CompanyName = l.Company,
            Status = l.Status,
            Owner = l.Owner,
            CreatedAt = now,
            UpdatedAt = now,
            UpdatedBy = "system",
            Revision = 1,
        }).ToList();
        db.AddRange(leads);
        await db.SaveChangesAsync(ct);
        db.AddRange(leads.Select(l => new CrmStatusChange { LeadId = l.Id, To = l.Status, Reason = "Demo data.", At = now, Actor = "system" }));
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static CrmCompany Company(string name, string domain, string industry, int employees, string team, bool customer = false, string? highStakes = null) => new()
    {
        Name = name,
        Domain = domain,
        Industry = industry,
        Employees = employees,
        OwningTeam = team,
        ExistingCustomer = customer,
        HighStakes = highStakes is not null,
        HighStakesReason = highStakes,
        HighStakesCostUsd = highStakes is null ? 0 : KeyAccountCostToUndoUsd,
    };
}
