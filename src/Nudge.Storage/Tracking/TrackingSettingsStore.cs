namespace Nudge.Storage.Tracking;

/// <summary>Whether a workspace's marketing emails track opens (the pixel) and clicks (rewritten links).</summary>
/// <param name="Opens">Add the open pixel.</param>
/// <param name="Clicks">Rewrite links to signed click-tracking links.</param>
public sealed record TrackingSettings(bool Opens, bool Clicks)
{
    /// <summary>What a workspace that never changed its settings gets: both on.</summary>
    public static TrackingSettings Default { get; } = new(true, true);
}

/// <summary>The tracking settings of each workspace.</summary>
public sealed class TrackingSettingsStore(Database database, TimeProvider time)
{
    /// <summary>The workspace's settings, or the defaults.</summary>
    public async Task<TrackingSettings> GetAsync(string workspaceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT opens, clicks FROM tracking_settings WHERE workspace_id = @p0", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new TrackingSettings(reader.GetInt64(0) == 1, reader.GetInt64(1) == 1) : TrackingSettings.Default;
    }

    /// <summary>Replaces the workspace's settings.</summary>
    public async Task SetAsync(string workspaceId, TrackingSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO tracking_settings (workspace_id, opens, clicks, updated_at) VALUES (@p0, @p1, @p2, @p3) " +
            "ON CONFLICT (workspace_id) DO UPDATE SET opens = excluded.opens, clicks = excluded.clicks, updated_at = excluded.updated_at",
            ct, workspaceId, settings.Opens ? 1L : 0L, settings.Clicks ? 1L : 0L, time.GetUtcNow().ToUnixTimeMilliseconds());
    }
}
