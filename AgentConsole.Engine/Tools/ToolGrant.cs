using System.Text.Json.Serialization;

namespace AgentConsole.Engine.Tools;

/// <summary>A tool granted to an agent, with the scope it may use it in.</summary>
[JsonConverter(typeof(ToolGrantJsonConverter))]
public sealed class ToolGrant
{
    public string Tool { get; set; } = "";

    public ToolScope Scope { get; set; } = ToolScope.Write;

    public static ToolGrant For(ToolDefinition tool) => new() { Tool = tool.Key, Scope = tool.Access == ToolAccess.Read ? ToolScope.Read : ToolScope.Write };

    public override string ToString() => $"{Tool} ({Scope.ToString().ToLowerInvariant()})";
}
