using AgentConsole;
using AgentConsole.Engine;
using AgentConsole.Hosting;

return StartupGuard.Run(() =>
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = ConsoleExtensions.ContentRootFor(args),
    });
    builder.AddAgentEngine();
    builder.AddConsoleUi();

    var app = builder.Build();
    app.MapConsole();
    return app;
});
