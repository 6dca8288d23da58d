using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Access;

/// <summary>At most <see cref="PermitLimit"/> events per <see cref="Window"/> (a fixed window).</summary>
public sealed class WindowLimit
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
