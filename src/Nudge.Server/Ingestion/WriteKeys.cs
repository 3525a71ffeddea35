using System.Collections.Concurrent;
using System.Text;
using Nudge.Storage.Keys;

namespace Nudge.Server.Ingestion;

/// <summary>
/// Resolves write keys for the tracking API. Trackers send thousands of requests per second with the same
/// key, so answers (also "unknown") are cached for a short while instead of hashing and querying each time.
/// </summary>
public sealed class WriteKeys(KeyStore keys, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (WriteKey? Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The write key sent as the Basic-auth user name, or null.</summary>
    public static string? FromAuthorization(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var user = decoded.Split(':', 2)[0];
            return user.Length > 0 ? user : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The write key with this secret, or null when it is unknown or not a write key.</summary>
    public async Task<WriteKey?> FindAsync(string secret, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(secret, out var cached) && cached.Until > now)
            return cached.Key;

        WriteKey? found = null;
        if (await keys.FindAsync(secret, ct) is { Kind: not ApiKeyKind.Admin } key)
            found = new WriteKey(key, (await keys.FindWorkspaceAsync(key.WorkspaceId, ct))?.DefaultRegion);
        if (_cache.Count > 10_000)
            _cache.Clear();
        _cache[secret] = (found, now + CacheFor);
        return found;
    }
}

/// <summary>A write key with what ingestion needs to know about its workspace.</summary>
/// <param name="Key">The key.</param>
/// <param name="DefaultRegion">The workspace's country for phone numbers without a country code.</param>
public sealed record WriteKey(ApiKey Key, string? DefaultRegion)
{
    public string WorkspaceId => Key.WorkspaceId;
}
