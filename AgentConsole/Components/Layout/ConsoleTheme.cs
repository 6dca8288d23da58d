using MudBlazor;

namespace AgentConsole.Components.Layout;

public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1E4E8C",
            Secondary = "#5C6B7A",
            AppbarBackground = "#1E4E8C",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7FB0F0",
            Secondary = "#9AA8B6",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
