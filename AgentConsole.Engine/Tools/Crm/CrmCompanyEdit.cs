namespace AgentConsole.Engine.Tools.Crm;

/// <summary>What a person edits on a company; <see cref="Revision"/> guards against overwriting someone else's save.</summary>
public sealed class CrmCompanyEdit
{
    public int? Id { get; set; }
    public string Name { get; set; } = "";
    public string Domain { get; set; } = "";
    public string? Industry { get; set; }
    public int Employees { get; set; }
    public string OwningTeam { get; set; } = "";
    public bool ExistingCustomer { get; set; }
    public bool HighStakes { get; set; }
    public string? HighStakesReason { get; set; }
    public decimal HighStakesCostUsd { get; set; }
    public int? Revision { get; set; }

    public static CrmCompanyEdit From(CrmCompany c) => new()
    {
        Id = c.Id,
        Name = c.Name,
        Domain = c.Domain,
        Industry = c.Industry,
        Employees = c.Employees,
        OwningTeam = c.OwningTeam,
        ExistingCustomer = c.ExistingCustomer,
        HighStakes = c.HighStakes,
        HighStakesReason = c.HighStakesReason,
        HighStakesCostUsd = c.HighStakesCostUsd,
        Revision = c.Revision,
    };
}
