namespace AgentConsole.Engine.Tools;

/// <summary>The named <see cref="System.Net.Http.IHttpClientFactory"/> client every HTTP connector uses.</summary>
public static class ToolHttp
{
    public const string ClientName = "AgentConsole.Tools";
}
