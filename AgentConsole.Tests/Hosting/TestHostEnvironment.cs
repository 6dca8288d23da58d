using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Tests.Hosting;

/// <summary>An environment by name and content root, for code that reads only those (start-up validation, key locations).</summary>
public sealed class TestHostEnvironment(string contentRoot, string name) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = name;
    public string ApplicationName { get; set; } = "AgentConsole";
    public string ContentRootPath { get; set; } = contentRoot;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
