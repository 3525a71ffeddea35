namespace Nudge.Storage.Push;

/// <summary>
/// Each workspace's VAPID key pair, created on first use. Browsers subscribe with the public key, so it must never
/// change once handed out: whoever stores a pair first wins, and every caller reads that one.
/// </summary>
public sealed class VapidKeyStore(Database database, TimeProvider time)
{
    /// <summary>
    /// The workspace's pair as stored texts (public, private); <paramref name="generate"/> makes one when there is none yet.
    /// </summary>
    public async Task<(string PublicKey, string PrivateKey)> GetOrCreateAsync(
        string workspaceId, Func<(string PublicKey, string PrivateKey)> generate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(generate);
        if (await FindAsync(workspaceId, ct) is { } existing)
            return existing;

        var (publicKey, privateKey) = generate();
        using (await database.WriteTurnAsync(ct))
        {
            await using var connection = await database.OpenAsync(ct);
            await connection.ExecuteAsync(
                "INSERT INTO push_vapid_keys (workspace_id, public_key, private_key, created_at) VALUES (@p0, @p1, @p2, @p3) ON CONFLICT (workspace_id) DO NOTHING",
                ct, workspaceId, publicKey, privateKey, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        return await FindAsync(workspaceId, ct) ?? throw new InvalidOperationException("A VAPID key pair just written could not be read back.");
    }

    private async Task<(string, string)?> FindAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT public_key, private_key FROM push_vapid_keys WHERE workspace_id = @p0", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetString(1)) : null;
    }
}
