using AgentConsole.Components.Pages.Dashboard;
using Bunit;

namespace AgentConsole.Tests.Components.Dashboard;

public sealed class KpiCardTests : MudTestContext
{
    [Fact]
    public void KpiCard_ShowsItsFigureHintAndTone_AndLinksWhenGivenAnAddress()
    {
        var card = Render<KpiCard>(p => p
            .Add(c => c.Label, "Error rate")
            .Add(c => c.Value, "12.5%")
            .Add(c => c.Hint, "5 failed or stopped at a limit")
            .Add(c => c.Tone, KpiTone.Bad)
            .Add(c => c.Href, "/runs?status=Failed")
            .Add(c => c.TestId, "kpi-error-rate"));

        var root = card.Find("[data-testid=kpi-error-rate]");
        Assert.Equal("Bad", root.GetAttribute("data-tone"));
        Assert.Equal("12.5%", card.Find("[data-testid=kpi-value]").TextContent.Trim());
        Assert.Equal("/runs?status=Failed", card.Find("[data-testid=kpi-value]").GetAttribute("href"));
        Assert.Contains("5 failed", card.Find("[data-testid=kpi-hint]").TextContent, StringComparison.Ordinal);
        Assert.Empty(card.FindAll("[data-testid=kpi-estimate]"));
    }

    [Fact]
    public void KpiCard_MarksCostsFromEstimatedUsage_AsEstimates()
    {
        var card = Render<KpiCard>(p => p
            .Add(c => c.Label, "Cost per run")
            .Add(c => c.Value, "$0.0021")
            .Add(c => c.Estimate, true));

        Assert.Equal("estimate", card.Find("[data-testid=kpi-estimate]").TextContent.Trim());
        Assert.Null(card.Find("[data-testid=kpi-value]").GetAttribute("href"));
    }

    [Theory]
    [InlineData(0.10, "25")]
    [InlineData(0.50, "100")]
    public void EscalationBandMeter_PlacesTheRate_OnTheZeroToFortyPercentScale(double rate, string left)
    {
        var meter = Render<EscalationBandMeter>(p => p.Add(c => c.Rate, rate));

        Assert.Contains($"left:{left}%", meter.Find("[data-testid=band-marker]").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("healthy band 5 to 15 %", meter.Find("[data-testid=band-meter]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.002, 10_000, "hundredths of a cent")]
    [InlineData(0.9, 100, "US cents")]
    [InlineData(250, 1, "USD")]
    public void CostUnit_IsTheLargestInWhichTheAxisHasWholeTicks(double maxUsd, double factor, string unit) =>
        Assert.Equal((factor, unit), ChartScale.CostUnit(maxUsd));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 1)]
    [InlineData(9, 5)]
    [InlineData(37, 10)]
    [InlineData(1_234, 500)]
    public void Step_SplitsTheAxisIntoAboutFourNiceIntervals(double max, int step) => Assert.Equal(step, ChartScale.Step(max));
}
