using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Models;

/// <summary>
/// The configuration binder drops a dictionary entry whose values do not convert (a provider with
/// <c>Kind: Banana</c>) without a word, so a misspelt provider would only surface when an agent first calls it.
/// Binding each configured provider on its own brings the conversion error back, naming the setting.
/// </summary>
internal sealed class ModelProviderBindingCheck(IConfiguration configuration) : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var failures = new List<string>();
        foreach (var provider in configuration.GetSection(ModelOptions.Section).GetSection(nameof(ModelOptions.Providers)).GetChildren())
        {
            try
            {
                provider.Get<ModelProviderOptions>();
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
