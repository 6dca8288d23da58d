namespace AgentConsole.Engine.Tools.Crm;

/// <summary>One page of a CRM list and how many rows match in all.</summary>
public sealed record CrmPage<T>(IReadOnlyList<T> Items, int Total);
