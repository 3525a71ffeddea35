using System.Security.Cryptography;
using System.Text;

namespace Nudge.Storage.Keys;

/// <summary>
/// Workspaces and their keys. Keys are random 32-byte secrets, so one SHA-256 is a safe hash at rest;
/// lookups go by hash and the final comparison is constant-time.
/// </summary>
public sealed class KeyStore(Database database, TimeProvider time)
{
    public async Task<Workspace?> FindWorkspaceAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT id, name, default_region, demo_seeded_at FROM workspaces WHERE id = @p0", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        DateTimeOffset? seeded = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3));
        return new Workspace(reader.GetString(0), reader.GetString(1), reader.NullableString(2), seeded);
    }

    /// <summary>The ids of the first <paramref name="limit"/> workspaces, oldest first.</summary>
    public async Task<IReadOnlyList<string>> WorkspaceIdsAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT id FROM workspaces ORDER BY created_at, id LIMIT @p0", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct))
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>Records that the demo data of a workspace is complete.</summary>
    public async Task MarkDemoSeededAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE workspaces SET demo_seeded_at = @p1 WHERE id = @p0", ct, id, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public async Task<Workspace> EnsureWorkspaceAsync(string id, string name, string? defaultRegion, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO workspaces (id, name, default_region, created_at) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (id) DO NOTHING",
            ct, id, name, defaultRegion, time.GetUtcNow().ToUnixTimeMilliseconds());
        return (await FindWorkspaceAsync(id, ct))!;
    }

    /// <summary>Creates a new random key and returns its secret; the secret is not stored and cannot be shown again.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string workspaceId, ApiKeyKind kind, string? label, CancellationToken ct)
    {
        var prefix = kind switch { ApiKeyKind.BrowserWrite => "nk_pub_", ApiKeyKind.ServerWrite => "nk_srv_", _ => "nk_adm_" };
        var secret = prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return (await AddAsync(workspaceId, kind, secret, label, ct), secret);
    }

    /// <summary>Registers a key whose secret is chosen by the operator (bootstrap); a known secret is left as it is.</summary>
    public async Task<ApiKey> AddAsync(string workspaceId, ApiKeyKind kind, string secret, string? label, CancellationToken ct)
    {
        if (await FindAsync(secret, ct) is { } existing)
            return existing;

        var key = new ApiKey("key_" + Guid.CreateVersion7().ToString("N"), workspaceId, kind, DisplayPrefix(secret), label, time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (id, workspace_id, kind, key_hash, key_prefix, label, created_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6) " +
            "ON CONFLICT (key_hash) DO NOTHING",
            ct, key.Id, workspaceId, kind.ToString(), Hash(secret), key.Prefix, label, key.CreatedAt.ToUnixTimeMilliseconds());
        // Several silos may bootstrap the same secret at once: the key that was stored first is the key.
        return await FindAsync(secret, ct) ?? key;
    }

    /// <summary>The key with this secret, or null.</summary>
    public async Task<ApiKey?> FindAsync(string secret, CancellationToken ct)
    {
        var hash = Hash(secret);
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id, workspace_id, kind, key_prefix, label, created_at, key_hash FROM api_keys WHERE key_hash = @p0", hash);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;

        var stored = Encoding.ASCII.GetBytes(reader.GetString(6));
        if (!CryptographicOperations.FixedTimeEquals(stored, Encoding.ASCII.GetBytes(hash)))
            return null;

        return new ApiKey(
            reader.GetString(0),
            reader.GetString(1),
            Enum.Parse<ApiKeyKind>(reader.GetString(2)),
            reader.GetString(3),
            reader.NullableString(4),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
    }

    /// <summary>The secret that signs the workspace's links, created on first use (64 random bytes).</summary>
    public async Task<byte[]> LinkSecretAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var stored = await connection.ScalarAsync<string?>("SELECT link_secret FROM workspaces WHERE id = @p0", ct, workspaceId);
        if (stored is null)
        {
            // Whoever writes first wins; everyone then reads the same secret.
            await connection.ExecuteAsync("UPDATE workspaces SET link_secret = @p1 WHERE id = @p0 AND link_secret IS NULL",
                ct, workspaceId, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
            stored = await connection.ScalarAsync<string?>("SELECT link_secret FROM workspaces WHERE id = @p0", ct, workspaceId)
                ?? throw new InvalidOperationException($"Unknown workspace '{workspaceId}'.");
        }
        return Convert.FromBase64String(stored);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string DisplayPrefix(string secret) => secret.Length <= 12 ? secret[..Math.Min(4, secret.Length)] + "…" : secret[..12] + "…";
}
