namespace AgentConsole.Engine.Audit;

/// <summary>
/// One <see cref="ChainHasher"/> per key version, made on first use: verification and sealing meet rows of several
/// versions after a rotation, and each hasher keeps its buffers across the rows of its version.
/// </summary>
internal sealed class KeyedHashers(AuditKey key) : IDisposable
{
    private readonly Dictionary<string, ChainHasher> _hashers = new(StringComparer.Ordinal);

    public ChainHasher Current => For(key.CurrentVersion)!;

    public string CurrentVersion => key.CurrentVersion;

    /// <summary>The hasher of <paramref name="version"/>, or null when no key of that version is configured.</summary>
    public ChainHasher? For(string version)
    {
        if (_hashers.TryGetValue(version, out var hasher))
        {
            return hasher;
        }

        if (!key.TryGet(version, out var bytes))
        {
            return null;
        }

        return _hashers[version] = new ChainHasher(bytes);
    }

    public void Dispose()
    {
        foreach (var hasher in _hashers.Values)
        {
            hasher.Dispose();
        }
    }
}
