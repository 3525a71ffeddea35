namespace Nudge.Storage.Lists;

/// <summary>A static list as stored. Its members are not here: membership is event-sourced (ADR 0008).</summary>
/// <param name="Id">List id (<c>lst_...</c>).</param>
/// <param name="WorkspaceId">The shop it belongs to.</param>
/// <param name="Name">Display name.</param>
/// <param name="Description">What the list is for.</param>
/// <param name="DoubleOptIn">True when the public signup form must have the address confirmed first.</param>
/// <param name="AllowedRedirects">Absolute URLs the signup form may redirect to after a signup.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last edit.</param>
public sealed record ListRecord(
    string Id,
    string WorkspaceId,
    string Name,
    string? Description,
    bool DoubleOptIn,
    IReadOnlyList<string> AllowedRedirects,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>What an admin sets on a list.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Description">What the list is for.</param>
/// <param name="DoubleOptIn">True when the public signup form must have the address confirmed first.</param>
/// <param name="AllowedRedirects">Absolute URLs the signup form may redirect to after a signup.</param>
public sealed record ListDraft(string Name, string? Description, bool DoubleOptIn, IReadOnlyList<string> AllowedRedirects);
