using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace AgentConsole.Engine.Persistence;

/// <summary>
/// The host watches appsettings*.json for changes with a FileSystemWatcher on the whole content root, subfolders
/// included. The SQLite databases live under the content root (<c>data/</c>), so every page SQLite wrote to a
/// database or its write-ahead log became an inotify event the watcher thread read and filtered: about a tenth of
/// the engine's CPU under load. Polling the few watched files every 4 seconds keeps reload-on-change at no cost.
/// </summary>
internal static class ConfigurationFileWatching
{
    public static void PollInsteadOfWatching(IConfigurationBuilder configuration)
    {
        var replaced = new Dictionary<PhysicalFileProvider, PhysicalFileProvider>();
        PhysicalFileProvider Polling(PhysicalFileProvider watching)
        {
            if (!replaced.TryGetValue(watching, out var polling))
            {
                // In this order: setting UseActivePolling after UsePollingFileWatcher turns the latter off again.
                polling = new PhysicalFileProvider(watching.Root) { UseActivePolling = true };
                polling.UsePollingFileWatcher = true;
                replaced[watching] = polling;
            }

            return polling;
        }

        // Sources added later (AddJsonFile without a provider) take the builder's default provider.
        if (configuration.Properties.TryGetValue("FileProvider", out var fallback) && fallback is PhysicalFileProvider { UsePollingFileWatcher: false } defaultProvider)
        {
            configuration.SetFileProvider(Polling(defaultProvider));
        }

        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is FileConfigurationSource { ReloadOnChange: true, FileProvider: PhysicalFileProvider { UsePollingFileWatcher: false } physical } file)
            {
                file.FileProvider = Polling(physical);
                // Re-setting the entry makes a ConfigurationManager rebuild that provider on the new file provider.
                sources[i] = file;
            }
        }

        // The watcher stays enabled for as long as its provider lives, whoever still listens.
        foreach (var watching in replaced.Keys)
        {
            watching.Dispose();
        }
    }
}
