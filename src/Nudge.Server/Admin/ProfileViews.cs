using System.Text.Json;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Server.Consent;

namespace Nudge.Server.Admin;

/// <summary>A profile in a search result.</summary>
public sealed record ProfileSummary(
    string Id, string? Name, string? Email, string? Phone, string? UserId, DateTimeOffset? LastSeen, int OrderCount, decimal TotalRevenue)
{
    public static ProfileSummary Of(Profile p) =>
        new(p.Id, p.DisplayName, p.Email, p.Phone, p.UserId, p.Computed.LastSeen, p.Computed.OrderCount, p.Computed.TotalRevenue);
}

/// <summary>One id of a person.</summary>
public sealed record IdentityView(string Kind, string Value)
{
    public static IdentityView Of(IdentityKey key) => new(JsonNamingPolicy.CamelCase.ConvertName(key.Kind.ToString()), key.Value);
}

/// <summary>Everything shown about one person.</summary>
public sealed record ProfileView(
    string Id,
    string? Name,
    IReadOnlyDictionary<string, JsonElement> Traits,
    IReadOnlyList<IdentityView> Identities,
    ComputedTraits Computed,
    string? TimeZone,
    Location? Location,
    IReadOnlyDictionary<string, bool> Consent,
    IReadOnlyList<ConsentChange> ConsentHistory,
    IReadOnlyList<OrderRecord> Orders,
    IReadOnlyList<ProfileMerge> Merges)
{
    public static ProfileView Of(Profile p) => new(
        p.Id, p.DisplayName, p.Traits, p.Identities.Select(IdentityView.Of).ToList(), p.Computed, p.TimeZone, p.Location,
        p.Consent, p.ConsentHistory, p.Orders.Values.OrderBy(o => o.PlacedAt).ToList(), p.Merges);
}

/// <summary>One entry of a timeline.</summary>
public sealed record EventView(
    long Sequence,
    string MessageId,
    string Type,
    string? Name,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    string Source,
    string LoggedProfileId,
    JsonElement Message,
    EventIdentity? Identity)
{
    public static EventView Of(LoggedEvent e) => new(
        e.Sequence,
        e.MessageId,
        JsonNamingPolicy.CamelCase.ConvertName(e.Type.ToString()),
        e.Name,
        e.Timestamp,
        e.ReceivedAt,
        e.KeyKind switch { KeyKind.Server => "server", KeyKind.Internal => "nudge", _ => "browser" },
        e.ProfileId,
        e.Body,
        e.Identity.IsEmpty ? null : e.Identity);
}

/// <summary>A page of a timeline; pass <c>Next</c> as <c>before</c> for the next page.</summary>
public sealed record TimelinePage(IReadOnlyList<EventView> Events, long? Next);

/// <summary>Everything Nudge holds about a person (GDPR access request), with their consent and its audit trail.</summary>
public sealed record ProfileExport(DateTimeOffset ExportedAt, ProfileView Profile, ConsentView Consent, IReadOnlyList<EventView> Events);

/// <summary>What an erasure removed.</summary>
public sealed record ErasureView(IReadOnlyList<string> ProfileIds, int EventsDeleted);
