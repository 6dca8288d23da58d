namespace AgentConsole.Engine.Runs;

/// <summary>
/// This process as an executor of runs: a fresh id per start (what <see cref="Run.LeaseOwner"/> names) and a host
/// identity that stays the same across restarts, so the next process knows which leases its dead predecessor left.
/// </summary>
public sealed class EngineInstance
{
    public EngineInstance(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name.Length > 200 ? name[..200] : name;
    }

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public string Name { get; }

    /// <summary>The configured name, or the machine name and content root (one installation per folder and machine).</summary>
    public static EngineInstance Create(string? configuredName, string contentRoot) =>
        new(string.IsNullOrWhiteSpace(configuredName) ? $"{Environment.MachineName}:{Path.GetFullPath(contentRoot)}" : configuredName.Trim());
}
