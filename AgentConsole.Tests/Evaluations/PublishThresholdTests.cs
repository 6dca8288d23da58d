using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Evaluations;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Evaluations;

/// <summary>The agent's publish threshold: validated, edited through the agents API, and what the publish gate judges by.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class PublishThresholdTests(ConsoleHostFixture host)
{
    [Theory]
    [InlineData(0.49, false)]
    [InlineData(0.5, true)]
    [InlineData(0.95, true)]
    [InlineData(1.0, true)]
    [InlineData(1.01, false)]
    [InlineData(double.NaN, false)]
    public void Validate_AcceptsThresholdsFromHalfToAll(double threshold, bool valid)
    {
        var errors = AgentRules.Validate(new AgentDefinition { Key = "threshold-agent", Name = "Threshold agent", PublishThreshold = threshold });

        Assert.Equal(valid, !errors.ContainsKey("publishThreshold"));
    }

    [Fact]
    public async Task AgentsApi_SetsTheThreshold_AndThePublishGateJudgesByIt()
    {
        var key = $"threshold-{Guid.NewGuid():N}"[..24];
        Assert.Equal(AgentSaveOutcome.Saved, (await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(new AgentDefinition { Key = key, Name = "Threshold " + key }, "tests")).Outcome);
        var apiKey = await host.Services.GetRequiredService<ApiKeyService>().CreateAsync($"threshold-{Guid.NewGuid():N}", Roles.Owner, "test");
        using var owner = host.CreateClient(apiKey.Secret);
        var agent = (await owner.GetFromJsonAsync<JsonObject>($"/api/v1/agents/{key}"))!;
        Assert.Equal(0.95, agent["publishThreshold"]!.GetValue<double>());

        agent["publishThreshold"] = 0.4;
        using (var refused = await owner.PutAsJsonAsync($"/api/v1/agents/{key}", agent))
        {
            var problem = await ProblemJson.ReadAsync(refused, HttpStatusCode.BadRequest);
            Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Contains("publishThreshold", StringComparison.Ordinal));
        }

        agent["publishThreshold"] = 0.8;
        using var saved = await owner.PutAsJsonAsync($"/api/v1/agents/{key}", agent);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(0.8, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("publishThreshold").GetDouble());
        var gate = await host.Services.GetRequiredService<PublishGate>().CheckDecisionAsync(key, "any-decision", 1);
        Assert.Equal(0.8, gate.Threshold);
        Assert.Contains("80 %", gate.Message, StringComparison.Ordinal);
    }
}
