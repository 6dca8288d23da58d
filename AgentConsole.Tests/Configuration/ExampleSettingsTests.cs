using System.Reflection;
using System.Text.Json;
using AgentConsole.Access;
using AgentConsole.Api;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Jobs;
using AgentConsole.Engine.Models;
using AgentConsole.Engine.Persistence;
using AgentConsole.Engine.Runs;
using AgentConsole.Engine.Runs.Redaction;
using Microsoft.Extensions.Configuration;

namespace AgentConsole.Tests.Configuration;

/// <summary>appsettings.example.json is the documented list of every setting; these tests keep it honest.</summary>
public sealed class ExampleSettingsTests
{
    private static readonly string ExamplePath = Path.Combine(FindRepositoryRoot(), "appsettings.example.json");

    public static TheoryData<Type, string> OptionsClasses => new()
    {
        { typeof(StorageOptions), StorageOptions.Section },
        { typeof(DatabaseOptions), DatabaseOptions.Section },
        { typeof(BootstrapOptions), BootstrapOptions.Section },
        { typeof(DemoOptions), DemoOptions.Section },
        { typeof(JobsOptions), JobsOptions.Section },
        { typeof(ApiOptions), ApiOptions.Section },
        { typeof(AuditOptions), AuditOptions.Section },
        { typeof(RedactionOptions), RedactionOptions.Section },
        { typeof(RunOptions), RunOptions.Section },
        { typeof(AccessOptions), AccessOptions.Section },
        { typeof(RateLimitOptions), RateLimitOptions.Section },
        { typeof(Engine.Tools.Http.HttpApiOptions), Engine.Tools.Http.HttpApiOptions.Section },
        { typeof(Engine.Tools.Database.DatabaseLookupOptions), Engine.Tools.Database.DatabaseLookupOptions.Section },
        { typeof(Engine.Tools.Knowledge.KnowledgeOptions), Engine.Tools.Knowledge.KnowledgeOptions.Section },
        { typeof(AgentConsole.Engine.Tools.ToolOptions), AgentConsole.Engine.Tools.ToolOptions.Section },
        { typeof(AgentConsole.Engine.Triggers.TriggerOptions), AgentConsole.Engine.Triggers.TriggerOptions.Section },
        { typeof(AgentConsole.Engine.Escalations.EscalationOptions), AgentConsole.Engine.Escalations.EscalationOptions.Section },
        { typeof(AgentConsole.Engine.Notifications.NotificationOptions), AgentConsole.Engine.Notifications.NotificationOptions.Section },
        { typeof(AgentConsole.Engine.Monitoring.MonitoringOptions), AgentConsole.Engine.Monitoring.MonitoringOptions.Section },
        { typeof(AgentConsole.Engine.Alerts.AlertOptions), AgentConsole.Engine.Alerts.AlertOptions.Section },
        { typeof(AgentConsole.Engine.Evaluations.TestSetOptions), AgentConsole.Engine.Evaluations.TestSetOptions.Section },
        { typeof(AgentConsole.Engine.Tools.Resilience.ToolHttpOptions), AgentConsole.Engine.Tools.ToolOptions.Section + ":Http" },
    };

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void Example_ListsEverySetting_OfEachOptionsClass(Type options, string section)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(ExamplePath).Build();

        var text = File.ReadAllText(ExamplePath);
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            // Configuration does not surface an empty map ({}), so look for the key in the file itself.
            // Nor an empty list ([]).
            var listed = typeof(System.Collections.IDictionary).IsAssignableFrom(property.PropertyType)
                ? text.Contains($"\"{property.Name}\": {{", StringComparison.Ordinal)
                : property.PropertyType.IsArray
                ? text.Contains($"\"{property.Name}\": [", StringComparison.Ordinal)
                : configuration.GetSection($"{section}:{property.Name}").Exists();
            Assert.True(listed,
                $"appsettings.example.json lacks {section}:{property.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(OptionsClasses))]
    public void Example_ShowsTheDefaults_OfEachOptionsClass(Type options, string section)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(ExamplePath).Build();
        var bound = configuration.GetSection(section).Get(options)!;
        var defaults = Activator.CreateInstance(options)!;

        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var expected = property.GetValue(defaults);
            var actual = property.GetValue(bound);
            // Empty strings in the file stand for "not set"; an empty map equals an empty default.
            if ((expected is null && actual is "") || (expected is System.Collections.IDictionary { Count: 0 } && actual is System.Collections.IDictionary { Count: 0 }))
            {
                continue;
            }

            // Lists and nested limits compare by value, not by reference.
            Assert.True(Equals(expected, actual) || JsonSerializer.Serialize(expected) == JsonSerializer.Serialize(actual),
                $"{section}:{property.Name} is {JsonSerializer.Serialize(actual)} in the example but defaults to {JsonSerializer.Serialize(expected)}");
        }
    }

    [Fact]
    public void Example_ListsTheModelProvidersInTheDocumentedShape()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(ExamplePath).Build();
        var models = configuration.GetSection(ModelOptions.Section).Get<ModelOptions>()!;

        Assert.Equal("offline", models.Default);
        var offline = models.Providers["offline"];
        Assert.Equal(ModelProviderKind.Offline, offline.Kind);
        Assert.Equal((0.15m, 0.60m), (offline.InputPricePerMillion, offline.OutputPricePerMillion));
        var openai = models.Providers["openai"];
        Assert.Equal(ModelProviderKind.OpenAI, openai.Kind);
        Assert.Equal("https://api.openai.com/v1", openai.Endpoint);
        Assert.Equal("", openai.ApiKey ?? "");
        Assert.Equal("gpt-4o-mini", openai.Model);
        var defaults = new ModelProviderOptions();
        Assert.Equal((defaults.TimeoutSeconds, defaults.MaxOutputTokens, defaults.MaxRetries), (openai.TimeoutSeconds, openai.MaxOutputTokens, openai.MaxRetries));
        foreach (var property in typeof(ModelProviderOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.True(configuration.GetSection($"{ModelOptions.Section}:Providers:openai:{property.Name}").Exists(), $"the example's openai provider lacks {property.Name}");
        }

        Assert.Empty(models.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(models)));
    }

    [Fact]
    public void Example_UsesTheDefaultConnectionStrings()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(ExamplePath).Build();

        Assert.Equal(StorageOptions.DefaultConnectionString, configuration.GetConnectionString("AgentConsole"));
        Assert.Equal(StorageOptions.DefaultHangfireConnectionString, configuration.GetConnectionString("Hangfire"));
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AgentConsole.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("AgentConsole.sln not found above the test output.");
    }
}
