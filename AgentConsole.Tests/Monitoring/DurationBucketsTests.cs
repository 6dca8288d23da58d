using AgentConsole.Engine.Monitoring;

namespace AgentConsole.Tests.Monitoring;

public sealed class DurationBucketsTests
{
    [Theory]
    [InlineData(0.50)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    public void Percentile_FromTheHistogram_IsWithinTwoAndAHalfPercentOfTheExactValue(double quantile)
    {
        var random = new Random(42);
        // Durations from 5 ms to 20 minutes, skewed like real runs (most short, a long tail).
        var values = Enumerable.Range(0, 5_000).Select(_ => (long)Math.Exp(random.NextDouble() * Math.Log(1_200_000 / 5.0)) * 5).Order().ToList();
        var histogram = values.GroupBy(DurationBuckets.Of).ToDictionary(g => g.Key, g => (long)g.Count());

        var estimate = DurationBuckets.Percentile(histogram, quantile)!.Value;
        var exact = DurationBuckets.ExactPercentile(values, quantile)!.Value;

        Assert.InRange(estimate, exact * 0.975, exact * 1.025);
    }

    [Fact]
    public void Percentile_IsNull_ForAnEmptyHistogram()
    {
        Assert.Null(DurationBuckets.Percentile([], 0.95));
        Assert.Null(DurationBuckets.ExactPercentile([], 0.95));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(999)]
    [InlineData(86_400_000)]
    public void Of_PutsADurationInsideItsBucketsBounds(long milliseconds)
    {
        var bucket = DurationBuckets.Of(milliseconds);

        Assert.InRange(milliseconds, DurationBuckets.LowerBound(bucket), DurationBuckets.UpperBound(bucket));
    }

    [Theory]
    [InlineData(null, EscalationHealth.NoData)]
    [InlineData(0.0, EscalationHealth.Low)]
    [InlineData(0.0499, EscalationHealth.Low)]
    [InlineData(0.05, EscalationHealth.Healthy)]
    [InlineData(0.15, EscalationHealth.Healthy)]
    [InlineData(0.1501, EscalationHealth.High)]
    [InlineData(0.30, EscalationHealth.High)]
    [InlineData(0.3001, EscalationHealth.Redesign)]
    public void EscalationBand_PlacesARate_AgainstTheHealthyBandAndTheRedesignLine(double? rate, EscalationHealth expected) =>
        Assert.Equal(expected, EscalationBand.Of(rate));
}
