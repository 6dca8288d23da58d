using System.Collections.Concurrent;
using AgentConsole.Engine.Agents;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>
/// One <see cref="Redactor"/> per distinct set of agent patterns, built once: custom patterns compile to IL, which
/// is far too slow to repeat for every run.
/// </summary>
public sealed class Redactors(IOptions<RedactionOptions> options)
{
    private const int MaxCached = 256;
    private readonly ConcurrentDictionary<string, Redactor> _cache = new(StringComparer.Ordinal);

    public Redactor For(IReadOnlyCollection<AgentRedactionPattern>? patterns)
    {
        var list = patterns ?? [];
        var key = string.Join('\u0001', list.Select(p => $"{p.Name}\u0002{p.Pattern}"));
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd(key, _ => new Redactor(options.Value, list.Select(p => new RedactionPattern(p.Name, p.Pattern))));
    }
}
