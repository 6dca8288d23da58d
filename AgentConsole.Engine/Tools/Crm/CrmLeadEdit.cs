namespace AgentConsole.Engine.Tools.Crm;

/// <summary>What a person edits on a lead; a changed status is recorded in the history.</summary>
public sealed class CrmLeadEdit
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string CompanyName { get; set; } = "";
    public CrmLeadStatus Status { get; set; }
    public string? Route { get; set; }
    public string? Owner { get; set; }
    public string? Notes { get; set; }
    public int Revision { get; set; }

    public static CrmLeadEdit From(CrmLead l) => new()
    {
        Id = l.Id,
        Name = l.Name,
        CompanyName = l.CompanyName,
        Status = l.Status,
        Route = l.Route,
        Owner = l.Owner,
        Notes = l.Notes,
        Revision = l.Revision,
    };
}
