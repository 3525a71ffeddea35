namespace Nudge.Storage.Keys;

/// <summary>A stored key: only its hash and a short prefix for display are kept.</summary>
public sealed record ApiKey(string Id, string WorkspaceId, ApiKeyKind Kind, string Prefix, string? Label, DateTimeOffset CreatedAt);

/// <summary>A workspace (one shop).</summary>
public sealed record Workspace(string Id, string Name, string? DefaultRegion);
