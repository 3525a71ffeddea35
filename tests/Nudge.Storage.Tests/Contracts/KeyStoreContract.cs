using Nudge.Storage.Keys;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class KeyStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private KeyStore Store => new(Database, Time);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.EnsureWorkspaceAsync(Some.Workspace, "Demo shop", "DE", Ct);
    }

    [Fact]
    public async Task A_workspace_keeps_one_link_secret()
    {
        var first = await Store.LinkSecretAsync(Some.Workspace, Ct);
        var second = await Store.LinkSecretAsync(Some.Workspace, Ct);
        await Store.EnsureWorkspaceAsync("ws_other", "Other", null, Ct);

        Assert.Equal(64, first.Length);
        Assert.Equal(first, second);
        Assert.NotEqual(first, await Store.LinkSecretAsync("ws_other", Ct));
    }

    [Fact]
    public async Task A_created_key_is_found_by_its_secret()
    {
        var (key, secret) = await Store.CreateAsync(Some.Workspace, ApiKeyKind.ServerWrite, "back end", Ct);

        var found = await Store.FindAsync(secret, Ct);

        Assert.Equal(key, found);
        Assert.Equal((Some.Workspace, ApiKeyKind.ServerWrite, "back end"), (found!.WorkspaceId, found.Kind, found.Label));
    }

    [Fact]
    public async Task A_wrong_secret_finds_no_key()
    {
        var (_, secret) = await Store.CreateAsync(Some.Workspace, ApiKeyKind.Admin, null, Ct);

        Assert.Null(await Store.FindAsync(secret[..^1] + (secret[^1] == '0' ? '1' : '0'), Ct));
        Assert.Null(await Store.FindAsync("", Ct));
    }

    [Fact]
    public async Task Only_a_hash_of_the_secret_is_stored()
    {
        var (_, secret) = await Store.CreateAsync(Some.Workspace, ApiKeyKind.BrowserWrite, "shop pages", Ct);

        var rows = await Database.RowsAsync("SELECT * FROM api_keys");

        var row = Assert.Single(rows);
        Assert.All(row, column => Assert.DoesNotContain(secret, column, StringComparison.Ordinal));
        Assert.All(row, column => Assert.DoesNotContain(secret["nk_pub_".Length..], column, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Created_keys_have_the_prefix_of_their_kind_and_differ()
    {
        var (_, browser) = await Store.CreateAsync(Some.Workspace, ApiKeyKind.BrowserWrite, null, Ct);
        var (_, server) = await Store.CreateAsync(Some.Workspace, ApiKeyKind.ServerWrite, null, Ct);
        var (_, admin) = await Store.CreateAsync(Some.Workspace, ApiKeyKind.Admin, null, Ct);

        Assert.StartsWith("nk_pub_", browser, StringComparison.Ordinal);
        Assert.StartsWith("nk_srv_", server, StringComparison.Ordinal);
        Assert.StartsWith("nk_adm_", admin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_a_bootstrap_key_with_a_known_secret_twice_keeps_one_key()
    {
        const string secret = "bootstrap-write-key-from-the-environment";

        var first = await Store.AddAsync(Some.Workspace, ApiKeyKind.ServerWrite, secret, "bootstrap", Ct);
        Time.Advance(TimeSpan.FromHours(1));
        var second = await Store.AddAsync(Some.Workspace, ApiKeyKind.ServerWrite, secret, "bootstrap", Ct);

        Assert.Equal(first, second);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM api_keys"));
        Assert.Equal(first, await Store.FindAsync(secret, Ct));
    }

    [Fact]
    public async Task Silos_adding_the_same_bootstrap_key_at_once_keep_one_key()
    {
        const string secret = "bootstrap-admin-key-shared-by-every-silo";

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => Store.AddAsync(Some.Workspace, ApiKeyKind.Admin, secret, "bootstrap", Ct), Ct)));

        Assert.Single(keys.Select(k => k.Id).Distinct());
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task Ensuring_a_workspace_twice_keeps_the_first_one()
    {
        var again = await Store.EnsureWorkspaceAsync(Some.Workspace, "Renamed shop", null, Ct);

        Assert.Equal(new Workspace(Some.Workspace, "Demo shop", "DE"), again);
        Assert.Null(await Store.FindWorkspaceAsync("ws_unknown", Ct));
    }
}

public sealed class SqliteKeyStoreContract() : KeyStoreContract(new SqliteDatabases());

public sealed class PostgresKeyStoreContract(PostgresDatabases postgres) : KeyStoreContract(postgres);
