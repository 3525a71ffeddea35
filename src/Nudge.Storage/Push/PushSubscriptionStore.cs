using System.Data.Common;

namespace Nudge.Storage.Push;

/// <summary>
/// The browsers that subscribed to push, by endpoint. A browser that subscribes again (new keys, or now known as
/// another person) replaces its row; a push service that answers 404/410 for an endpoint gets it removed.
/// </summary>
public sealed class PushSubscriptionStore(Database database)
{
    private const string Columns = "workspace_id, profile_id, endpoint, p256dh, auth, user_agent, created_at, last_success_at";

    /// <summary>Stores a subscription, replacing one with the same endpoint; true when the endpoint was new.</summary>
    public async Task<bool> SaveAsync(PushSubscription subscription, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        var existed = await connection.ScalarAsync<long?>("SELECT 1 FROM push_subscriptions WHERE endpoint = @p0", ct, subscription.Endpoint) is not null;
        // A re-subscription keeps the last success: the endpoint is the same channel to the same browser.
        await connection.ExecuteAsync(
            $"INSERT INTO push_subscriptions ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) " +
            "ON CONFLICT (endpoint) DO UPDATE SET workspace_id = excluded.workspace_id, profile_id = excluded.profile_id, " +
            "p256dh = excluded.p256dh, auth = excluded.auth, user_agent = excluded.user_agent, created_at = excluded.created_at",
            ct, subscription.WorkspaceId, subscription.ProfileId, subscription.Endpoint, subscription.P256dh, subscription.Auth,
            subscription.UserAgent, subscription.CreatedAt.ToUnixTimeMilliseconds(), subscription.LastSuccessAt?.ToUnixTimeMilliseconds());
        return !existed;
    }

    /// <summary>The subscription with this endpoint in this workspace, or null.</summary>
    public async Task<PushSubscription?> GetAsync(string workspaceId, string endpoint, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM push_subscriptions WHERE endpoint = @p0 AND workspace_id = @p1", ct, endpoint, workspaceId);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>
    /// Every browser of a person: subscriptions made under the profile itself and under profiles merged into it
    /// (a visitor who subscribed anonymously and logged in later), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<PushSubscription>> ForProfileAsync(string workspaceId, string profileId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadAsync(connection,
            "WITH RECURSIVE person(id) AS (SELECT @p1 UNION SELECT m.absorbed_id FROM profile_merges m JOIN person p ON m.survivor_id = p.id) " +
            $"SELECT {Columns} FROM push_subscriptions WHERE workspace_id = @p0 AND profile_id IN (SELECT id FROM person) ORDER BY created_at, endpoint",
            ct, workspaceId, profileId);
    }

    /// <summary>Removes a subscription of a workspace; true when there was one.</summary>
    public async Task<bool> RemoveAsync(string workspaceId, string endpoint, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync("DELETE FROM push_subscriptions WHERE endpoint = @p0 AND workspace_id = @p1", ct, endpoint, workspaceId) == 1;
    }

    /// <summary>Removes every subscription of the given profiles (GDPR erasure).</summary>
    public async Task<int> RemoveProfilesAsync(string workspaceId, IEnumerable<string> profileIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(profileIds);
        var removed = 0;
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        foreach (var profileId in profileIds)
            removed += await connection.ExecuteAsync("DELETE FROM push_subscriptions WHERE workspace_id = @p0 AND profile_id = @p1", ct, workspaceId, profileId);
        return removed;
    }

    /// <summary>Records that a push service accepted a message for the endpoint.</summary>
    public async Task RecordSuccessAsync(string endpoint, DateTimeOffset at, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE push_subscriptions SET last_success_at = @p1 WHERE endpoint = @p0", ct, endpoint, at.ToUnixTimeMilliseconds());
    }

    private static async Task<List<PushSubscription>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = new List<PushSubscription>();
        while (await reader.ReadAsync(ct))
        {
            found.Add(new PushSubscription(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.NullableString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }
        return found;
    }
}
