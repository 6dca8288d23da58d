using System.Text.Json.Nodes;

namespace AgentConsole.Tests.Configuration;

/// <summary>Runtime settings the app ships with, read from the runtimeconfig the build writes next to it.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void TheAppRunsWithWorkstationGc_SoTwoHundredRunsInFlightStayUnderHalfAGigabyte()
    {
        // Server GC (the Web SDK's default) peaked at 519 MiB in the P2 benchmark; see AgentConsole.csproj.
        var app = typeof(AgentConsole.ConsoleExtensions).Assembly.Location;
        var path = Path.ChangeExtension(app, ".runtimeconfig.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;

        var server = config["runtimeOptions"]?["configProperties"]?["System.GC.Server"];

        Assert.NotNull(server);
        Assert.False(server.GetValue<bool>());
    }
}
