using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Tools.Http;

/// <summary>Limits of the HTTP API connector; a connection's own settings may lower or raise the response cap.</summary>
public sealed class HttpApiOptions
{
    public const string Section = "AgentConsole:Tools:HttpApi";

    /// <summary>The largest absolute cap a connection's <c>maxResponseBytes</c> setting may ask for.</summary>
    public const int MaxResponseBytesCeiling = 16 * 1024 * 1024;

    /// <summary>
    /// How many bytes of a response body are read when the connection does not say (setting <c>maxResponseBytes</c>);
    /// the rest is never read, the result says it was cut.
    /// </summary>
    [Range(1_024, MaxResponseBytesCeiling)]
    public int MaxResponseBytes { get; set; } = 65_536;

    /// <summary>Redirects followed per call; each target is checked against the allow-list first.</summary>
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 5;
}
