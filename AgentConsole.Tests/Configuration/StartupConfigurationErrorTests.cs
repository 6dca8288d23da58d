using System.Diagnostics;
using AgentConsole.Hosting;

namespace AgentConsole.Tests.Configuration;

/// <summary>
/// Starts the real app (the AgentConsole.dll next to the tests) with one bad setting and checks that it stops with one
/// readable line per problem on stderr and exit code 78, not an unhandled exception and a stack trace.
/// </summary>
public sealed class StartupConfigurationErrorTests : IDisposable
{
    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), "agentconsole-config-tests", Guid.NewGuid().ToString("N"));

    public StartupConfigurationErrorTests() => Directory.CreateDirectory(_contentRoot);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A folder left in the temp directory is harmless.
        }
    }

    private sealed record Exit(int Code, string[] ErrorLines, string Output);

    private async Task<Exit> StartAsync(params (string Name, string Value)[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "AgentConsole.dll"), "--contentRoot", _contentRoot, "--urls", "http://127.0.0.1:0" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = _contentRoot,
        };

        // Development keeps start-up checks owned by other settings (such as where keys may live) out of the way.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            // The app started despite the bad setting: stop it and let the assertions below say so.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return new Exit(process.ExitCode, (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), await output);
    }

    private static void AssertOneLine(Exit exit, params string[] expected)
    {
        Assert.True(exit.Code == StartupGuard.ConfigurationErrorExitCode, $"exit code {exit.Code}; stderr: {string.Join('\n', exit.ErrorLines)}");
        var line = Assert.Single(exit.ErrorLines);
        Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal);
        foreach (var text in expected)
        {
            Assert.Contains(text, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", exit.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", exit.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AgentConsole__Audit__RetentionDays", "5", "AgentConsole:Audit:RetentionDays must be between 90 and 2557")]
    [InlineData("AgentConsole__Audit__RetentionDays", "ninety", "AgentConsole:Audit:RetentionDays must be a whole number (got 'ninety').")]
    [InlineData("AgentConsole__Jobs__WorkerCount", "0", "AgentConsole:Jobs:WorkerCount must be between 1 and 200.")]
    [InlineData("AgentConsole__Jobs__QueuePollInterval", "soon", "AgentConsole:Jobs:QueuePollInterval must be a duration such as 00:05:00")]
    [InlineData("AgentConsole__Models__Default", "gpt", "AgentConsole:Models:Default names 'gpt', which is not a provider; expected 'offline'")]
    [InlineData("AgentConsole__Models__Providers__local__Kind", "Banana", "AgentConsole:Models:Providers:local:Kind must be one of Offline, OpenAI (got 'Banana').")]
    [InlineData("ConnectionStrings__AgentConsole", "Data Source=data/app.db;Colour=blue", "ConnectionStrings:AgentConsole must be a SQLite connection string such as 'Data Source=")]
    [InlineData("AgentConsole__Notifications__PublicBaseUrl", "console.example.com", "AgentConsole:Notifications:PublicBaseUrl must be an absolute http(s) URL without query, such as https://console.example.com (got 'console.example.com').")]
    [InlineData("ConnectionStrings__Hangfire", "not a connection string", "ConnectionStrings:Hangfire must be a SQLite connection string")]
    public async Task Start_StopsWithOneLineNamingTheSetting_WhenASettingIsInvalid(string variable, string value, string expected)
    {
        var exit = await StartAsync((variable, value));

        AssertOneLine(exit, expected);
    }

    [Fact]
    public async Task Start_PrintsOneLinePerProblem_WhenSeveralSettingsAreInvalid()
    {
        var exit = await StartAsync(("AgentConsole__Audit__RetentionDays", "5"), ("AgentConsole__Jobs__WorkerCount", "0"));

        Assert.Equal(StartupGuard.ConfigurationErrorExitCode, exit.Code);
        Assert.Equal(2, exit.ErrorLines.Length);
        Assert.All(exit.ErrorLines, line => Assert.StartsWith("Configuration error: AgentConsole:", line, StringComparison.Ordinal));
        Assert.Contains(exit.ErrorLines, line => line.Contains("RetentionDays", StringComparison.Ordinal));
        Assert.Contains(exit.ErrorLines, line => line.Contains("WorkerCount", StringComparison.Ordinal));
    }
}
