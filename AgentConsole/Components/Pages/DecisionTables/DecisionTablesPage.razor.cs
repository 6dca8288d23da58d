using AgentConsole.Access;
using AgentConsole.Engine.DecisionTables;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;

namespace AgentConsole.Components.Pages.DecisionTables;

public sealed partial class DecisionTablesPage
{
    private const long MaxImportBytes = 5 * 1024 * 1024;

    private IReadOnlyList<DecisionSummary>? _decisions;
    private string? _problem;
    private string? _notice;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private DecisionCatalog Catalog { get; set; } = default!;
    [Inject] private DecisionImport Import { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _decisions = await Catalog.ListAsync();

    private async Task CreateAsync()
    {
        var table = new DecisionTableDefinition
        {
            Id = "decision_" + Guid.NewGuid().ToString("N")[..8],
            Name = "New decision " + DateTime.UtcNow.ToString("yyyy-MM-dd HH.mm.ss", System.Globalization.CultureInfo.InvariantCulture),
            HitPolicy = HitPolicy.Unique,
            Inputs = [new DecisionInput { Id = "input_1", ExpressionId = "input_1_expr", Label = "Input", Expression = "input", TypeRef = FeelType.String }],
            Outputs = [new DecisionOutput { Id = "output_1", Name = "output", Label = "Output", TypeRef = FeelType.String }],
            Rules = [new DecisionRule { Id = "rule_1", InputEntries = ["-"], OutputEntries = ["\"value\""] }],
        };
        var created = await Catalog.CreateAsync(new DmnModel { Id = table.Id, Name = table.Name, Decisions = [table] }, (await AuthState).User.ActorName());
        Navigation.NavigateTo($"/decision-tables/{created.Decision.Key}");
    }

    private async Task ImportAsync(IBrowserFile file)
    {
        _problem = null;
        _notice = null;
        if (file.Size > MaxImportBytes)
        {
            _problem = $"{file.Name} is {file.Size / 1024:N0} KB; DMN files up to {MaxImportBytes / 1024 / 1024} MB can be imported.";
            return;
        }

        string xml;
        await using (var stream = file.OpenReadStream(MaxImportBytes))
        using (var reader = new StreamReader(stream))
        {
            xml = await reader.ReadToEndAsync();
        }

        var result = await Import.ImportAsync(xml, (await AuthState).User.ActorName());
        if (!result.Succeeded)
        {
            _problem = $"{file.Name} could not be imported: {string.Join(" ", result.Errors)}";
            return;
        }

        _notice = $"Imported {string.Join(", ", result.Imported.Select(d => $"{d.Name} ({d.Key})"))} from {file.Name}."
            + (result.Warnings.Count > 0 ? " Notes: " + string.Join(" ", result.Warnings) : "");
        _decisions = await Catalog.ListAsync();
    }
}
