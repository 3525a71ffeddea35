namespace Nudge.Storage.Keys;

/// <summary>A stored key: only its hash and a short prefix for display are kept.</summary>
public sealed record ApiKey(string Id, string WorkspaceId, ApiKeyKind Kind, string Prefix, string? Label, DateTimeOffset CreatedAt);

/// <summary>A workspace (one shop).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">The shop's name.</param>
/// <param name="DefaultRegion">Country for phone numbers without a country code.</param>
/// <param name="DemoSeededAt">When the demo data finished seeding, for the demo workspace.</param>
public sealed record Workspace(string Id, string Name, string? DefaultRegion, DateTimeOffset? DemoSeededAt = null);
