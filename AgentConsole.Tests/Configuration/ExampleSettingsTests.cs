using System.Reflection;
using AgentConsole.Api;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using AgentConsole.Engine.Demo;
using AgentConsole.Engine.Jobs;
using AgentConsole.Engine.Persistence;
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
        { typeof(BootstrapOptions), BootstrapOptions.Section },
        { typeof(DemoOptions), DemoOptions.Section },
        { typeof(JobsOptions), JobsOptions.Section },
        { typeof(ApiOptions), ApiOptions.Section },
        { typeof(AuditOptions), AuditOptions.Section },
        { typeof(RedactionOptions), RedactionOptions.Section },
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
            var listed = typeof(System.Collections.IDictionary).IsAssignableFrom(property.PropertyType)
                ? text.Contains($"\"{property.Name}\": {{", StringComparison.Ordinal)
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

            Assert.True(Equals(expected, actual), $"{section}:{property.Name} is {actual} in the example but defaults to {expected}");
        }
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
