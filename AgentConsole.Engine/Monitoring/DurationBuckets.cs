namespace AgentConsole.Engine.Monitoring;

/// <summary>
/// Logarithmic duration buckets, each 5 % wider than the one before, so a percentile read from a histogram is within
/// about 2.5 % of the exact value at any scale (a 40 ms run and a 40 minute run alike) with a few hundred buckets at most.
/// </summary>
public static class DurationBuckets
{
    private const double Growth = 1.05;
    private static readonly double LogGrowth = Math.Log(Growth);

    /// <summary>Bucket 0 holds durations under 1 ms; bucket b ≥ 1 holds [1.05^(b−1), 1.05^b) ms.</summary>
    public static int Of(long milliseconds) =>
        milliseconds < 1 ? 0 : 1 + (int)Math.Floor(Math.Log(milliseconds) / LogGrowth);

    public static double LowerBound(int bucket) => bucket <= 0 ? 0 : Math.Pow(Growth, bucket - 1);

    public static double UpperBound(int bucket) => bucket <= 0 ? 1 : Math.Pow(Growth, bucket);

    /// <summary>The representative value of a bucket: the middle of its range.</summary>
    public static double Midpoint(int bucket) => (LowerBound(bucket) + UpperBound(bucket)) / 2;

    /// <summary>
    /// The <paramref name="quantile"/> (0–1, nearest rank) of the durations counted in <paramref name="histogram"/>
    /// (bucket → count); null when it counts nothing.
    /// </summary>
    public static double? Percentile(IEnumerable<KeyValuePair<int, long>> histogram, double quantile)
    {
        var ordered = histogram.Where(b => b.Value > 0).OrderBy(b => b.Key).ToList();
        var total = ordered.Sum(b => b.Value);
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        foreach (var (bucket, count) in ordered)
        {
            seen += count;
            if (seen >= rank)
            {
                return Midpoint(bucket);
            }
        }

        return Midpoint(ordered[^1].Key);
    }

    /// <summary>The exact nearest-rank percentile of raw values (what the histogram estimate approximates); null when empty.</summary>
    public static double? ExactPercentile(IReadOnlyList<long> sortedMilliseconds, double quantile)
    {
        if (sortedMilliseconds.Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (int)Math.Ceiling(quantile * sortedMilliseconds.Count));
        return sortedMilliseconds[rank - 1];
    }
}
