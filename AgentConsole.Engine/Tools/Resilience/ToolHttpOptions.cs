using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Engine.Tools.Resilience;

/// <summary>The transport of the named HttpClient every HTTP connector uses (<see cref="ToolHttp.ClientName"/>).</summary>
public sealed class ToolHttpOptions
{
    /// <summary>How long a pooled connection is reused; a service's DNS change is picked up within it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long connecting may take; an attempt's own time limit still applies when shorter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest response headers accepted, in KiB; a service sending more fails the attempt.</summary>
    [Range(1, 1024)]
    public int MaxResponseHeadersKb { get; set; } = 32;

    /// <summary>The largest response body a connector may buffer, in bytes.</summary>
    [Range(1_024, 1_073_741_824)]
    public long MaxResponseContentBytes { get; set; } = 10 * 1024 * 1024;
}
