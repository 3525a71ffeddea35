namespace Nudge.Storage.Keys;

/// <summary>What a key may do.</summary>
public enum ApiKeyKind
{
    /// <summary>Public write key for browser trackers; cannot change consent or attach to verified profiles.</summary>
    BrowserWrite,

    /// <summary>Secret write key for the shop's back end.</summary>
    ServerWrite,

    /// <summary>Secret key for the admin API.</summary>
    Admin,
}
