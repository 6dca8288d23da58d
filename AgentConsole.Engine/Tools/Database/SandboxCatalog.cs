using System.Globalization;
using AgentConsole.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Engine.Tools.Database;

/// <summary>
/// The sandbox database lookup's demo data: a SQLite file with a product catalogue and a price list, created on first
/// use beside the application database (on PostgreSQL, in the content root's data folder: every instance builds the
/// same catalogue of its own), so an agent granted <c>db_query</c> has something real to query in the demo.
/// </summary>
public sealed class SandboxCatalog(IDbContextFactory<AgentConsoleDbContext> dbFactory, IOptions<DatabaseLookupOptions> options,
    IHostEnvironment? environment = null) : IDisposable
{
    public const string FileName = "sandbox-catalog.db";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _path;

    /// <summary>The demo database's path, created if missing.</summary>
    public async Task<string> EnsureAsync(CancellationToken ct)
    {
        if (_path is { } known && File.Exists(known))
        {
            return known;
        }

        await _gate.WaitAsync(ct);
        try
        {
            var path = await ResolvePathAsync(ct);
            if (!File.Exists(path))
            {
                Create(path);
            }

            return _path = path;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<string> ResolvePathAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.SandboxDatabasePath))
        {
            return Path.GetFullPath(options.Value.SandboxDatabasePath);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite() && db.Database.GetConnectionString() is { } connection
            && new SqliteConnectionStringBuilder(connection).DataSource is { Length: > 0 } file && file != ":memory:")
        {
            // Relative paths resolve as SQLite resolves the application database's own.
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, FileName);
        }

        // Not a file (PostgreSQL): the data folder of the default SQLite layout, beside data/keys, never the program
        // folder, which a deployment may make read-only and replaces on every upgrade.
        return Path.Combine(environment?.ContentRootPath ?? AppContext.BaseDirectory, "data", FileName);
    }

    /// <summary>Built in a temporary file and moved into place, so a crash never leaves a half-filled catalogue.</summary>
    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
            {
                connection.Open();
                using var transaction = connection.BeginTransaction();
                using (var schema = connection.CreateCommand())
                {
                    schema.CommandText = """
                        CREATE TABLE products (
                          sku TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
                          list_price REAL NOT NULL, currency TEXT NOT NULL, in_stock INTEGER NOT NULL, discontinued INTEGER NOT NULL DEFAULT 0);
                        CREATE TABLE prices (
                          sku TEXT NOT NULL REFERENCES products(sku), tier TEXT NOT NULL, min_quantity INTEGER NOT NULL, unit_price REAL NOT NULL,
                          PRIMARY KEY (sku, tier));
                        """;
                    schema.ExecuteNonQuery();
                }

                foreach (var (sku, name, category, price, stock) in Products)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = """
                        INSERT INTO products (sku, name, category, list_price, currency, in_stock, discontinued) VALUES ($sku, $name, $category, $price, 'EUR', $stock, $discontinued);
                        INSERT INTO prices (sku, tier, min_quantity, unit_price) VALUES ($sku, 'list', 1, $price), ($sku, 'partner', 10, $partner), ($sku, 'enterprise', 50, $enterprise);
                        """;
                    insert.Parameters.AddWithValue("$sku", sku);
                    insert.Parameters.AddWithValue("$name", name);
                    insert.Parameters.AddWithValue("$category", category);
                    insert.Parameters.AddWithValue("$price", price);
                    insert.Parameters.AddWithValue("$stock", Math.Max(stock, 0));
                    insert.Parameters.AddWithValue("$discontinued", stock < 0 ? 1 : 0);
                    insert.Parameters.AddWithValue("$partner", Math.Round(price * 0.85, 2));
                    insert.Parameters.AddWithValue("$enterprise", Math.Round(price * 0.75, 2));
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            try
            {
                File.Move(temporary, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it meanwhile; theirs is as good as ours.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>24 products; a negative stock marks a discontinued one (stored as 0 in stock).</summary>
    private static readonly (string Sku, string Name, string Category, double Price, int Stock)[] Products = Seed();

    private static (string, string, string, double, int)[] Seed()
    {
        (string Category, string[] Names, double Base)[] lines =
        [
            ("Software", ["CRM Starter licence", "CRM Professional licence", "CRM Enterprise licence", "Marketing automation add-on", "Analytics add-on", "API access add-on"], 29),
            ("Services", ["Onboarding package", "Data migration", "Custom integration (day)", "Admin training (day)", "Premium support (year)", "Health check"], 450),
            ("Hardware", ["Conference speakerphone", "Barcode scanner", "Receipt printer", "Card terminal", "Headset", "Docking station"], 89),
            ("Training", ["Sales playbook course", "Pipeline management course", "Negotiation workshop", "Forecasting webinar", "Certification exam", "Team bootcamp"], 199),
        ];
        var products = new List<(string, string, string, double, int)>();
        for (var line = 0; line < lines.Length; line++)
        {
            for (var i = 0; i < lines[line].Names.Length; i++)
            {
                var sku = string.Create(CultureInfo.InvariantCulture, $"{lines[line].Category[..3].ToUpperInvariant()}-{100 + i}");
                var price = Math.Round(lines[line].Base * (1 + i * 0.6), 2);
                var stock = i == 5 && line % 2 == 0 ? -1 : (line * 7 + i * 13) % 40;
                products.Add((sku, lines[line].Names[i], lines[line].Category, price, stock));
            }
        }

        return [.. products];
    }
}
