using System.Text.Json;
using Nudge.Core.Delivery;

namespace Nudge.Storage.Delivery;

/// <summary>A workspace's delivery policy settings and which change of them they are.</summary>
/// <param name="Settings">The settings the policy applies.</param>
/// <param name="Version">0 for a workspace that never changed the defaults; 1 after the first change, one more with each.</param>
/// <param name="UpdatedAt">When they were last changed; null for the defaults.</param>
public sealed record StoredDeliveryPolicy(DeliveryPolicySettings Settings, long Version, DateTimeOffset? UpdatedAt)
{
    /// <summary>What a workspace that never changed its settings has.</summary>
    public static StoredDeliveryPolicy Default { get; } = new(DeliveryPolicySettings.Default, 0, null);
}

/// <summary>The delivery policy settings of each workspace (ADR 0020), stored as the settings document.</summary>
public sealed class DeliveryPolicyStore(Database database, TimeProvider time)
{
    /// <summary>The workspace's settings, or the defaults.</summary>
    /// <exception cref="InvalidDataException">The stored document no longer reads (e.g. its time zone left the tz database).</exception>
    public async Task<StoredDeliveryPolicy> GetAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT settings, version, updated_at FROM delivery_policies WHERE workspace_id = @p0", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return StoredDeliveryPolicy.Default;
        using var document = JsonDocument.Parse(reader.GetString(0));
        var read = DeliveryPolicyJson.Read(document.RootElement);
        if (read.Settings is null)
        {
            throw new InvalidDataException($"The delivery policy of workspace '{workspaceId}' no longer reads: "
                + string.Join("; ", read.Errors.Select(e => $"{e.Field} {e.Message}")));
        }
        return new StoredDeliveryPolicy(read.Settings, reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
    }

    /// <summary>
    /// Replaces the workspace's settings. With <paramref name="expectedVersion"/>, only when the stored settings are still
    /// that version (0: never changed), so two people editing at once do not silently undo each other; null when they are not.
    /// </summary>
    public async Task<StoredDeliveryPolicy?> SaveAsync(string workspaceId, DeliveryPolicySettings settings, long? expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var json = JsonSerializer.Serialize(DeliveryPolicyJson.Write(settings), StorageJson.Options);
        var now = time.GetUtcNow();
        var at = now.ToUnixTimeMilliseconds();
        var sql = expectedVersion switch
        {
            null => "INSERT INTO delivery_policies (workspace_id, settings, version, updated_at) VALUES (@p0, @p1, 1, @p2) "
                + "ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, version = delivery_policies.version + 1, "
                + "updated_at = excluded.updated_at RETURNING version",
            0 => "INSERT INTO delivery_policies (workspace_id, settings, version, updated_at) VALUES (@p0, @p1, 1, @p2) "
                + "ON CONFLICT (workspace_id) DO NOTHING RETURNING version",
            _ => "UPDATE delivery_policies SET settings = @p1, version = version + 1, updated_at = @p2 "
                + "WHERE workspace_id = @p0 AND version = @p3 RETURNING version",
        };
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        object?[] args = expectedVersion is > 0 ? [workspaceId, json, at, expectedVersion.Value] : [workspaceId, json, at];
        var version = await connection.ScalarAsync<long?>(sql, ct, args);
        return version is { } saved ? new StoredDeliveryPolicy(settings, saved, DateTimeOffset.FromUnixTimeMilliseconds(at)) : null;
    }
}
