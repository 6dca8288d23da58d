using AgentConsole;
using AgentConsole.Engine;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = ConsoleExtensions.ContentRootFor(args),
});
builder.AddAgentEngine();
builder.AddConsoleUi();

var app = builder.Build();
app.MapConsole();
app.Run();
