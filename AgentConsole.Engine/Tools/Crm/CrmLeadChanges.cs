namespace AgentConsole.Engine.Tools.Crm;

/// <summary>Fields of a lead to set; null leaves a field as it is.</summary>
public sealed record CrmLeadChanges(string? Name = null, string? Company = null, string? Route = null, string? Owner = null, string? Notes = null);
