using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Tools;

/// <summary>
/// Every tool the registered connectors declare, by key. Built once from DI; a duplicate key or a tool that names
/// another connector is a wiring error found at start-up.
/// </summary>
public sealed partial class ToolRegistry
{
    /// <summary>The practice guide: a typical agent has 4–8 tools; over 8 the agent page warns.</summary>
    public const int TypicalMaxTools = 8;

    /// <summary>Over 15 tools an agent does too much: the agent page says split it.</summary>
    public const int SplitAboveTools = 15;

    private readonly Dictionary<string, ToolDefinition> _tools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IConnector> _connectors = new(StringComparer.Ordinal);

    public ToolRegistry(IEnumerable<IConnector> connectors)
    {
        foreach (var connector in connectors)
        {
            if (!_connectors.TryAdd(connector.Key, connector))
            {
                throw new InvalidOperationException($"Two connectors are registered with key '{connector.Key}'.");
            }

            foreach (var tool in connector.Tools)
            {
                if (!KeyPattern().IsMatch(tool.Key))
                {
                    throw new InvalidOperationException($"Tool key '{tool.Key}' of connector '{connector.Key}' must be 1–64 letters, digits or underscores.");
                }

                if (tool.Connector != connector.Key)
                {
                    throw new InvalidOperationException($"Tool '{tool.Key}' is declared by connector '{connector.Key}' but names connector '{tool.Connector}'.");
                }

                if (!_tools.TryAdd(tool.Key, tool))
                {
                    throw new InvalidOperationException($"Two tools are declared with key '{tool.Key}'.");
                }
            }
        }

        Connections = [.. _tools.Values.Where(t => !t.BuiltIn).Select(t => (t.Connection, _connectors[t.Connector])).DistinctBy(c => c.Connection).OrderBy(c => c.Connection, StringComparer.Ordinal)];
    }

    /// <summary>All tools, built-ins first, then by connector and key.</summary>
    public IReadOnlyList<ToolDefinition> All => [.. _tools.Values.OrderBy(t => !t.BuiltIn).ThenBy(t => t.Connector, StringComparer.Ordinal).ThenBy(t => t.Key, StringComparer.Ordinal)];

    public IReadOnlyCollection<IConnector> Connectors => _connectors.Values;

    /// <summary>Each connection key a tool names, with the connector that owns it.</summary>
    public IReadOnlyList<(string Key, IConnector Connector)> Connections { get; }

    public ToolDefinition? Find(string key) => _tools.GetValueOrDefault(key);

    public bool IsKnown(string key) => _tools.ContainsKey(key);

    public IConnector ConnectorOf(ToolDefinition tool) => _connectors[tool.Connector];

    /// <summary>The tools an agent's model sees: the built-ins and its grants that name a known tool, in grant order.</summary>
    public IReadOnlyList<(ToolDefinition Tool, ToolScope Scope)> Visible(IEnumerable<ToolGrant> grants)
    {
        var visible = new List<(ToolDefinition, ToolScope)>();
        foreach (var grant in grants)
        {
            if (Find(grant.Tool) is { BuiltIn: false } tool && !visible.Exists(v => v.Item1.Key == tool.Key))
            {
                visible.Add((tool, Normalize(tool, grant.Scope)));
            }
        }

        visible.AddRange(_tools.Values.Where(t => t.BuiltIn).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t, ToolScope.Write)));
        return visible;
    }

    /// <summary>A read tool granted "write" can still only read.</summary>
    public static ToolScope Normalize(ToolDefinition tool, ToolScope scope) => tool.Access == ToolAccess.Read ? ToolScope.Read : scope;

    /// <summary>Checks grants; error keys are the API's property paths (tools[0] …).</summary>
    public void ValidateGrants(IReadOnlyList<ToolGrant?> grants, IDictionary<string, string[]> errors)
    {
        for (var i = 0; i < grants.Count; i++)
        {
            var grant = grants[i];
            var key = grant?.Tool?.Trim() ?? "";
            if (grant is null || key.Length == 0)
            {
                errors[$"tools[{i}]"] = ["A grant names a tool key."];
            }
            else if (Find(key) is not { } tool)
            {
                errors[$"tools[{i}]"] = [$"Unknown tool '{key}'. Known tools: {string.Join(", ", All.Where(t => !t.BuiltIn).Select(t => t.Key))}."];
            }
            else if (tool.BuiltIn)
            {
                errors[$"tools[{i}]"] = [$"'{key}' is built in: every agent has it, so it is not granted."];
            }
            else if (!Enum.IsDefined(grant.Scope))
            {
                errors[$"tools[{i}].scope"] = ["Scope is \"read\" or \"write\"."];
            }
            else if (grant.Scope == ToolScope.Read && tool.Access == ToolAccess.Write && !tool.SupportsReadScope)
            {
                errors[$"tools[{i}].scope"] = [$"'{key}' only writes, so it cannot be granted read-only; grant it with scope \"write\" or not at all."];
            }
            else if (grants.Take(i).Any(g => string.Equals(g?.Tool?.Trim(), key, StringComparison.Ordinal)))
            {
                errors[$"tools[{i}]"] = [$"Tool '{key}' is granted twice."];
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
