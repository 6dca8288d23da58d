using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Api;

/// <summary>Bound from <c>AgentConsole:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "AgentConsole:Api";

    /// <summary>Largest request body the REST API accepts; larger ones get 413.</summary>
    [Range(1_024, 104_857_600)]
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;
}
