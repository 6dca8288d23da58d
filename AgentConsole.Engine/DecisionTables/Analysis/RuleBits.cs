using System.Numerics;

namespace AgentConsole.Engine.DecisionTables.Analysis;

/// <summary>
/// An immutable set of small indexes (rules, or atoms of a column) as a bit array; equal sets hash alike so they can
/// key the search memo.
/// </summary>
internal readonly struct RuleBits : IEquatable<RuleBits>
{
    private readonly ulong[] _words;

    private RuleBits(ulong[] words) => _words = words;

    public static RuleBits Of(int ruleCount, IEnumerable<int> rules)
    {
        var words = new ulong[Math.Max(1, (ruleCount + 63) / 64)];
        foreach (var rule in rules)
        {
            words[rule >> 6] |= 1UL << (rule & 63);
        }

        return new RuleBits(words);
    }

    public bool IsEmpty
    {
        get
        {
            foreach (var word in _words)
            {
                if (word != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public RuleBits And(RuleBits other)
    {
        var words = new ulong[_words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = _words[i] & other._words[i];
        }

        return new RuleBits(words);
    }

    public bool Intersects(RuleBits other)
    {
        for (var i = 0; i < _words.Length; i++)
        {
            if ((_words[i] & other._words[i]) != 0)
            {
                return true;
            }
        }

        return false;
    }

    public IEnumerable<int> Members()
    {
        for (var i = 0; i < _words.Length; i++)
        {
            var word = _words[i];
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                yield return (i << 6) + bit;
                word &= word - 1;
            }
        }
    }

    public bool Equals(RuleBits other) => _words.AsSpan().SequenceEqual(other._words);

    public override bool Equals(object? obj) => obj is RuleBits other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in _words)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }
}
