using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentConsole.Access;
using AgentConsole.Engine.Persistence;
using AgentConsole.Tests.Hosting;
using AgentConsole.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using AgentConsole.Tests.Runs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Access;

public sealed class DataProtectionKeysTests : IDisposable
{
    private const string Password = "pfx-password-for-tests";
    private readonly string _folder = RunHost.NewFolder();

    private string CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=AgentConsole data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, "dp.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }

    private ServiceProvider Build(string environment, params (string Key, string? Value)[] settings) => Build(environment, null, settings);

    [Fact]
    public void Keys_AreEncryptedAtRest_WhenACertificateIsConfigured()
    {
        var certificate = CreateCertificate();
        (string, string?)[] settings = [("AgentConsole:Storage:DataProtectionCertificatePath", "dp.pfx"), ("AgentConsole:Storage:DataProtectionCertificatePassword", Password)];
        string protectedText;
        using (var services = Build("Production", settings))
        {
            protectedText = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a sign-in cookie");
        }

        var keyXml = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_folder, "keys"), "key-*.xml")));
        Assert.Contains("encryptedSecret", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, keyXml, StringComparison.Ordinal);
        // A restarted process reads its keys back with the same certificate.
        using var restarted = Build("Production", settings);
        Assert.Equal("a sign-in cookie", restarted.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
        Assert.True(File.Exists(certificate));
    }

    [Fact]
    public void Validation_RefusesACertificateThatDoesNotLoad_WithOneLineNamingTheSetting()
    {
        CreateCertificate();
        using var services = Build("Production", ("AgentConsole:Storage:DataProtectionCertificatePath", "dp.pfx"), ("AgentConsole:Storage:DataProtectionCertificatePassword", "wrong"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("AgentConsole:Storage:DataProtectionCertificatePath", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Development", true)]
    public void Validation_RefusesUnprotectedKeysOutsideDevelopment_OnlyWhenRequired(string environment, bool succeeds)
    {
        using var services = Build(environment, ("AgentConsole:Storage:RequireProtectedDataProtectionKeys", "true"));

        var options = () => services.GetRequiredService<IOptions<StorageOptions>>().Value;

        if (succeeds)
        {
            Assert.True(options().RequireProtectedDataProtectionKeys);
        }
        else
        {
            Assert.Contains("AgentConsole:Storage:RequireProtectedDataProtectionKeys", Assert.Throws<OptionsValidationException>(options).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Keys_AreSharedThroughTheDatabase_EncryptedWithTheCertificate_OnPostgres()
    {
        CreateCertificate();
        var connection = await SharedPostgres.NewAppDatabaseAsync("dpkeys");
        (string, string?)[] settings =
        [
            ("AgentConsole:Database:Provider", "Postgres"),
            ("AgentConsole:Storage:DataProtectionCertificatePath", "dp.pfx"),
            ("AgentConsole:Storage:DataProtectionCertificatePassword", Password),
        ];

        // Two instances: the one that signs a cookie and the one the load balancer sends the next request to.
        await using var first = Build("Production", connection, settings);
        await using var second = Build("Production", connection, settings);
        var cookie = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("sign-in").Protect("a sign-in cookie");

        Assert.Equal("a sign-in cookie", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("sign-in").Unprotect(cookie));
        await using var db = new AgentConsoleDbContext(new DbContextOptionsBuilder<AgentConsoleDbContext>().UseAppDatabase(DatabaseProvider.Postgres, connection).Options);
        var stored = Assert.Single(await db.DataProtectionKeys.AsNoTracking().ToListAsync());
        Assert.Contains("encryptedSecret", stored.Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored.Xml, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "keys")), "No instance wrote keys to its own folder");
    }

    [Fact]
    public void Validation_RefusesPostgres_WithoutACertificate_OutsideDevelopment()
    {
        using var services = Build("Production", ("AgentConsole:Database:Provider", "Postgres"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("AgentConsole:Storage:DataProtectionCertificatePath", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>The console's data protection as the host wires it; with <paramref name="connection"/>, over that PostgreSQL database.</summary>
    private ServiceProvider Build(string environment, string? connection, params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)).Append(KeyValuePair.Create("AgentConsole:Storage:DataProtectionKeysPath", (string?)"keys")))
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddSingleton<IConfiguration>(configuration);
        if (connection is not null)
        {
            services.AddDbContext<AgentConsoleDbContext>(o => o.UseAppDatabase(DatabaseProvider.Postgres, connection));
        }

        var host = new TestHostEnvironment(_folder, environment);
        services.AddSingleton<IHostEnvironment>(host);
        services.AddConsoleDataProtection(configuration, host);
        return services.BuildServiceProvider();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans the temp folder.
        }
    }
}
