using AgentConsole.Access;
using AgentConsole.Engine.Access;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AgentConsole.Components.Pages.Settings;

public sealed partial class UsersPanel
{
    private IReadOnlyList<UserSummary>? _users;
    private string _newEmail = "";
    private string _newName = "";
    private string? _newPassword;
    private HashSet<string> _newRoles = [Roles.Reviewer];
    private string? _editingRolesFor;
    private HashSet<string> _roleDraft = [];
    private string? _secret;
    private string _secretMessage = "";
    private string? _error;
    private bool _busy;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] private UserAdministration Users { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnInitializedAsync() => await RefreshAsync();

    private async Task RefreshAsync() => _users = await Users.ListAsync();

    private async Task<string> ActorAsync() => (await AuthState).User.ActorName();

    private async Task CreateAsync()
    {
        _busy = true;
        try
        {
            var result = await Users.CreateAsync(_newEmail, _newName, [.. _newRoles], _newPassword, await ActorAsync());
            if (!Apply(result))
            {
                return;
            }

            if (result.GeneratedPassword is { } generated)
            {
                _secretMessage = $"Created {_newEmail}. Their password:";
                _secret = generated;
            }
            else
            {
                Snackbar.Add($"Created {_newEmail}.", Severity.Success);
            }

            _newEmail = _newName = "";
            _newPassword = null;
            _newRoles = [Roles.Reviewer];
            await RefreshAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private void EditRoles(UserSummary user)
    {
        _editingRolesFor = user.Id;
        _roleDraft = [.. user.Roles];
    }

    private async Task SaveRolesAsync(UserSummary user)
    {
        if (Apply(await Users.SetRolesAsync(user.Id, [.. _roleDraft], await ActorAsync())))
        {
            Snackbar.Add($"Roles of {user.Email} saved.", Severity.Success);
            _editingRolesFor = null;
            await RefreshAsync();
        }
    }

    private async Task ToggleDisabledAsync(UserSummary user)
    {
        if (!user.IsDisabled)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Disable user",
                $"{user.Email} will be signed out within a minute and cannot sign in until enabled again.",
                yesText: "Disable", cancelText: "Cancel");
            if (confirmed != true)
            {
                return;
            }
        }

        if (Apply(await Users.SetDisabledAsync(user.Id, !user.IsDisabled, await ActorAsync())))
        {
            Snackbar.Add($"{user.Email} {(user.IsDisabled ? "enabled" : "disabled")}.", Severity.Success);
            await RefreshAsync();
        }
    }

    private async Task ResetPasswordAsync(UserSummary user)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Reset password",
            $"Generate a new password for {user.Email}? Their current password stops working and any lockout is cleared.",
            yesText: "Reset", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await Users.ResetPasswordAsync(user.Id, null, await ActorAsync());
        if (Apply(result))
        {
            _secretMessage = $"New password for {user.Email}:";
            _secret = result.GeneratedPassword;
            await RefreshAsync();
        }
    }

    private bool Apply(UserChangeResult result)
    {
        _error = result.Succeeded ? null : string.Join(" ", result.Errors);
        return result.Succeeded;
    }
}
