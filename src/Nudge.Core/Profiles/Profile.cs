using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Identity;

namespace Nudge.Core.Profiles;

/// <summary>Everything Nudge knows about one person. Changed only by <see cref="ProfileProjection"/>.</summary>
public sealed record Profile
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public ImmutableSortedDictionary<string, JsonElement> Traits { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty;
    public ImmutableList<IdentityKey> Identities { get; init; } = [];
    public ComputedTraits Computed { get; init; } = new();
    public string? TimeZone { get; init; }
    public Location? Location { get; init; }

    /// <summary>Current consent per channel (true = may be contacted).</summary>
    public ImmutableSortedDictionary<string, bool> Consent { get; init; } = ImmutableSortedDictionary<string, bool>.Empty;

    public ImmutableList<ConsentChange> ConsentHistory { get; init; } = [];
    public ImmutableSortedDictionary<string, OrderRecord> Orders { get; init; } = ImmutableSortedDictionary<string, OrderRecord>.Empty;
    public ImmutableList<ProfileMerge> Merges { get; init; } = [];

    /// <summary>
    /// The static lists the person is on: list id to when they joined (event time). Kept from the
    /// <c>List Joined</c> / <c>List Left</c> events of trusted senders (ADR 0008).
    /// </summary>
    public ImmutableSortedDictionary<string, DateTimeOffset> Lists { get; init; } = ImmutableSortedDictionary<string, DateTimeOffset>.Empty;

    /// <summary>
    /// Last applied log sequence per profile id the events were logged under (this profile and the ones
    /// it absorbed), so a replay or a forwarded event is applied once.
    /// </summary>
    public ImmutableSortedDictionary<string, long> AppliedThrough { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    /// <summary>
    /// The newest segment build boundary (a log sequence) the engine knew of when it last applied events here:
    /// every segment whose build counted the log up to a boundary at or below it has had the later events of this
    /// profile counted by the profile's grain. A segment with a newer boundary may have missed some (ADR 0007).
    /// </summary>
    public long SegmentBoundary { get; init; }

    /// <summary>Set when this profile was merged into another; later events are forwarded there.</summary>
    public string? MergedInto { get; init; }

    public string? Email => Identities.FirstOrDefault(i => i.Kind == IdentityKind.Email).Value;
    public string? Phone => Identities.FirstOrDefault(i => i.Kind == IdentityKind.Phone).Value;
    public string? UserId => Identities.FirstOrDefault(i => i.Kind == IdentityKind.UserId).Value;

    /// <summary>First and last name (or <c>name</c>) from the traits, for search and display.</summary>
    public string? DisplayName
    {
        get
        {
            if (TraitText("name") is { } name)
                return name;
            var full = $"{TraitText("first_name") ?? TraitText("firstName")} {TraitText("last_name") ?? TraitText("lastName")}".Trim();
            return full.Length > 0 ? full : null;
        }
    }

    public static Profile Empty(string id, string workspaceId) => new() { Id = id, WorkspaceId = workspaceId };

    public string? TraitText(string name) =>
        Traits.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
