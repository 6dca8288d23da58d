using AgentConsole;
using AgentConsole.Engine;

var builder = WebApplication.CreateBuilder(args);
builder.AddAgentEngine();
builder.AddConsoleUi();

var app = builder.Build();
app.MapConsole();
app.Run();
