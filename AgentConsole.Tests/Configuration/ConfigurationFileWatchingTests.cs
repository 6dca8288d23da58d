using System.Reflection;
using AgentConsole.Engine;
using AgentConsole.Tests.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Tests.Configuration;

/// <summary>
/// The databases live under the content root, so a FileSystemWatcher over it turned every SQLite page write into an
/// event for the watcher thread. Settings files are polled instead, and editing them still takes effect.
/// </summary>
public sealed class ConfigurationFileWatchingTests : IDisposable
{
    private readonly string _folder = RunHost.NewFolder();

    [Fact]
    public void Settings_files_are_polled_not_watched_once_the_engine_is_added()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "Probe": "one" }""");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, Args = [] });
        var watched = builder.Configuration.Sources.OfType<FileConfigurationSource>().Where(s => s.ReloadOnChange).ToList();
        Assert.Contains(watched, s => FileSystemWatcherOf(Assert.IsType<PhysicalFileProvider>(s.FileProvider)) is not null);

        builder.AddAgentEngine();

        var sources = ((IConfigurationBuilder)builder.Configuration).Sources.OfType<FileConfigurationSource>().Where(s => s.ReloadOnChange).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.Null(FileSystemWatcherOf(Assert.IsType<PhysicalFileProvider>(s.FileProvider))));
        // JSON files added later get the builder's default provider: the same polling one.
        Assert.Same(sources[0].FileProvider, ((IConfigurationBuilder)builder.Configuration).GetFileProvider());
        Assert.Equal("one", builder.Configuration["Probe"]);
    }

    [Fact]
    public async Task An_edited_settings_file_is_still_reloaded()
    {
        var path = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(path, """{ "Probe": "one" }""");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, Args = [] });
        builder.AddAgentEngine();
        IConfigurationRoot configuration = builder.Configuration;
        Assert.Equal("one", configuration["Probe"]);

        var reloaded = new TaskCompletionSource();
        using var registration = configuration.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);
        // Polling compares the last write time; make sure it moves even on a coarse file system clock.
        await File.WriteAllTextAsync(path, """{ "Probe": "two" }""");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(2));

        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("two", configuration["Probe"]);
    }

    /// <summary>The FileSystemWatcher behind a provider's watches, if it made one (a provider exposes no such property).</summary>
    private static FileSystemWatcher? FileSystemWatcherOf(PhysicalFileProvider provider)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var filesWatcher = typeof(PhysicalFileProvider).GetFields(Private).Single(f => f.FieldType == typeof(PhysicalFilesWatcher)).GetValue(provider);
        Assert.NotNull(filesWatcher); // the settings files are watched, so the provider made its watcher
        return (FileSystemWatcher?)typeof(PhysicalFilesWatcher).GetFields(Private).Single(f => f.FieldType == typeof(FileSystemWatcher)).GetValue(filesWatcher);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
