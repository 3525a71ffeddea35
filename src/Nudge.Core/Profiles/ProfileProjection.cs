using System.Collections.Immutable;
using System.Text.Json;
using Nudge.Core.Commerce;
using Nudge.Core.Consent;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Lists;

namespace Nudge.Core.Profiles;

/// <summary>
/// Folds logged events into a profile. Deterministic: replaying the same events gives the same profile,
/// and an event already applied is a no-op.
/// </summary>
public static class ProfileProjection
{
    /// <summary>Trait names that carry ids; they are stored normalized and only when the id was linked.</summary>
    private static readonly HashSet<string> IdentityTraits = ["email", "phone"];

    public static Profile Apply(Profile profile, LoggedEvent e)
    {
        if (profile.AppliedThrough.TryGetValue(e.ProfileId, out var through) && e.Sequence <= through)
            return profile;

        var next = profile with
        {
            AppliedThrough = profile.AppliedThrough.SetItem(e.ProfileId, e.Sequence),
            Identities = AddIdentities(profile.Identities, e.Identity.Linked),
            Merges = e.Identity.Absorbed.Count == 0
                ? profile.Merges
                : profile.Merges.AddRange(e.Identity.Absorbed.Select(id => new ProfileMerge(id, e.Timestamp, e.Sequence))),
            // What Nudge itself logs (segment changes, ...) is not something the person did.
            Computed = e.KeyKind == KeyKind.Internal ? profile.Computed : Seen(profile.Computed, e.Timestamp),
        };

        // A group call's traits describe the group (company name, address), not the person.
        if (e.Type is MessageType.Identify or MessageType.Alias)
            next = ApplyTraits(next, e);

        next = ApplyContext(next, e);

        if (e.Type == MessageType.Track && e.Name == ConsentChangedEvent.Name)
            next = ApplyConsentChanged(next, e);

        if (e.Type == MessageType.Track && e.Name is { } name
            && CommerceEventParser.Parse(name, Properties(e.Body)) is { } commerce)
        {
            next = ApplyCommerce(next, commerce, e);
        }

        if (ListEvents.Read(e) is { } list)
            next = ApplyList(next, list, e);

        return next;
    }

    /// <summary>Folds an absorbed profile into the survivor of a merge.</summary>
    public static Profile Absorb(Profile survivor, Profile absorbed)
    {
        var traits = survivor.Traits;
        foreach (var (key, value) in absorbed.Traits)
        {
            // The known person's own traits win over what was collected while they were anonymous.
            if (!traits.ContainsKey(key))
                traits = traits.Add(key, value);
        }

        var orders = survivor.Orders.SetItems(absorbed.Orders.Where(o => !survivor.Orders.ContainsKey(o.Key)));
        var applied = survivor.AppliedThrough;
        foreach (var (origin, seq) in absorbed.AppliedThrough)
            applied = applied.SetItem(origin, Math.Max(seq, applied.GetValueOrDefault(origin)));

        var a = absorbed.Computed;
        var s = survivor.Computed;
        var computed = WithOrders(s with
        {
            FirstSeen = Min(s.FirstSeen, a.FirstSeen),
            LastSeen = Max(s.LastSeen, a.LastSeen),
            EventCount = s.EventCount + a.EventCount,
            LastProductViewed = Latest(s.LastProductViewed, a.LastProductViewed),
            LastProductAdded = Latest(s.LastProductAdded, a.LastProductAdded),
        }, orders);

        return survivor with
        {
            Traits = traits,
            Identities = AddIdentities(survivor.Identities, absorbed.Identities),
            Orders = orders,
            Computed = computed,
            TimeZone = survivor.TimeZone ?? absorbed.TimeZone,
            Location = survivor.Location ?? absorbed.Location,
            Consent = absorbed.Consent.SetItems(survivor.Consent),
            ConsentHistory = survivor.ConsentHistory.AddRange(absorbed.ConsentHistory),
            Merges = survivor.Merges.AddRange(absorbed.Merges),
            AppliedThrough = applied,
            Lists = MergeLists(survivor.Lists, absorbed.Lists),
        };
    }

    private static Profile ApplyList(Profile profile, ListMembershipEvent list, LoggedEvent e)
    {
        if (list.Joined)
        {
            // Joining again keeps the first join: the person has been on the list since then.
            return profile.Lists.ContainsKey(list.ListId) ? profile : profile with { Lists = profile.Lists.Add(list.ListId, e.Timestamp) };
        }
        return profile.Lists.ContainsKey(list.ListId) ? profile with { Lists = profile.Lists.Remove(list.ListId) } : profile;
    }

    private static ImmutableSortedDictionary<string, DateTimeOffset> MergeLists(
        ImmutableSortedDictionary<string, DateTimeOffset> survivor, ImmutableSortedDictionary<string, DateTimeOffset> absorbed)
    {
        var lists = survivor;
        foreach (var (id, joinedAt) in absorbed)
            lists = lists.TryGetValue(id, out var since) && since <= joinedAt ? lists : lists.SetItem(id, joinedAt);
        return lists;
    }

    private static Profile ApplyTraits(Profile profile, LoggedEvent e)
    {
        if (Object(e.Body, "traits") is not { } traits)
            return profile;

        var refused = e.Identity.Refused.Select(r => r.Key.Kind).ToHashSet();
        var result = profile.Traits.ToBuilder();
        var consent = profile;
        foreach (var trait in traits.EnumerateObject())
        {
            if (trait.NameEquals("consent"))
            {
                consent = ApplyConsent(consent, trait.Value, e);
                continue;
            }

            if (IdentityTraits.Contains(trait.Name))
            {
                var kind = trait.Name == "email" ? IdentityKind.Email : IdentityKind.Phone;
                if (refused.Contains(kind) || LinkedId(kind, trait.Value, traits, e, profile.Identities) is not { } linked)
                    continue;
                result[trait.Name] = JsonSerializer.SerializeToElement(linked);
                continue;
            }

            if (trait.Value.ValueKind == JsonValueKind.Null)
                result.Remove(trait.Name);
            else
                result[trait.Name] = trait.Value.Clone();
        }

        return consent with { Traits = result.ToImmutable() };
    }

    /// <summary>
    /// The normalized id an email or phone trait names, when it is an id of this profile: the one this event
    /// linked, else the one it names if linked earlier (a merged profile may have several).
    /// </summary>
    private static string? LinkedId(IdentityKind kind, JsonElement value, JsonElement traits, LoggedEvent e, ImmutableList<IdentityKey> identities)
    {
        if (e.Identity.Linked.FirstOrDefault(k => k.Kind == kind).Value is { } linked)
            return linked;

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var named = kind == IdentityKind.Email
            ? ContactNormalizer.Email(text)
            : ContactNormalizer.Phone(text, Text(Object(traits, "address"), "country"));
        return named is not null && identities.Contains(new IdentityKey(kind, named)) ? named : null;
    }

    /// <summary><c>traits.consent</c> of an identify: <c>{"email": true, "sms": "unsubscribed"}</c>.</summary>
    private static Profile ApplyConsent(Profile profile, JsonElement consent, LoggedEvent e)
    {
        if (consent.ValueKind != JsonValueKind.Object)
            return profile;

        foreach (var channel in consent.EnumerateObject())
        {
            if (Granted(channel.Value) is { } granted)
                profile = Record(profile, Change(channel.Name.ToLowerInvariant(), granted, e, source: null));
        }

        return profile;
    }

    /// <summary>A <c>Consent Changed</c> track event: one channel, with where, how and in which words it was asked.</summary>
    private static Profile ApplyConsentChanged(Profile profile, LoggedEvent e)
    {
        var properties = Properties(e.Body);
        var channel = Text(properties, "channel")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(channel)
            || properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty("status", out var status)
            || Granted(status) is not { } granted)
        {
            return profile;
        }

        var context = Object(e.Body, "context");
        return Record(profile, Change(channel, granted, e, Text(properties, "source")) with
        {
            Ip = Text(properties, "ip") ?? Text(context, "ip"),
            UserAgent = Text(properties, "user_agent") ?? Text(context, "userAgent"),
            Wording = Text(properties, "wording"),
        });
    }

    private static bool? Granted(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when value.ValueEquals(ConsentChangedEvent.Subscribed) || value.ValueEquals("granted") => true,
        JsonValueKind.String when value.ValueEquals(ConsentChangedEvent.Unsubscribed) || value.ValueEquals("denied") => false,
        _ => null,
    };

    /// <summary>Server keys and Nudge itself may change consent; browser keys are public, so their changes are refused.</summary>
    private static ConsentChange Change(string channel, bool granted, LoggedEvent e, string? source)
    {
        var trusted = e.KeyKind is KeyKind.Server or KeyKind.Internal;
        var sender = e.KeyKind switch { KeyKind.Server => "server key", KeyKind.Internal => "nudge", _ => "browser key" };
        var named = string.IsNullOrWhiteSpace(source) ? null : source.Trim();
        return new ConsentChange(channel, granted, e.Timestamp, e.MessageId, trusted ? named ?? sender : sender, trusted);
    }

    private static Profile Record(Profile profile, ConsentChange change) => profile with
    {
        Consent = change.Applied ? profile.Consent.SetItem(change.Channel, change.Granted) : profile.Consent,
        ConsentHistory = profile.ConsentHistory.Add(change),
    };

    private static Profile ApplyContext(Profile profile, LoggedEvent e)
    {
        var context = Object(e.Body, "context");
        var traits = e.Type == MessageType.Group ? null : Object(e.Body, "traits");

        var zone = Text(context, "timezone") ?? Text(traits, "timezone");
        var next = zone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) ? profile with { TimeZone = zone } : profile;

        if (Object(traits, "address") is { } address)
        {
            next = next with
            {
                Location = new Location(
                    Text(address, "country"),
                    Text(address, "state") ?? Text(address, "region"),
                    Text(address, "city"),
                    next.Location?.Latitude,
                    next.Location?.Longitude),
            };
        }
        else if (Object(context, "location") is { } location)
        {
            next = next with
            {
                Location = new Location(
                    Text(location, "country") ?? next.Location?.Country,
                    Text(location, "region") ?? next.Location?.Region,
                    Text(location, "city") ?? next.Location?.City,
                    Number(location, "latitude") ?? next.Location?.Latitude,
                    Number(location, "longitude") ?? next.Location?.Longitude),
            };
        }

        return next;
    }

    private static Profile ApplyCommerce(Profile profile, CommerceEvent commerce, LoggedEvent e)
    {
        switch (commerce)
        {
            case ProductViewed viewed:
                // Latest by event time: offline batches and imports bring older events after newer ones.
                return profile with { Computed = profile.Computed with { LastProductViewed = Latest(Seen(viewed.Product, e.Timestamp), profile.Computed.LastProductViewed) } };
            case ProductAdded added:
                return profile with { Computed = profile.Computed with { LastProductAdded = Latest(Seen(added.Product, e.Timestamp), profile.Computed.LastProductAdded) } };
            case OrderCompleted order:
            {
                var id = order.OrderId ?? e.MessageId;
                if (profile.Orders.ContainsKey(id))
                    return profile;
                var orders = profile.Orders.Add(id, new OrderRecord(id, order.Value, 0, order.Currency, e.Timestamp, false));
                return profile with { Orders = orders, Computed = WithOrders(profile.Computed, orders) };
            }
            case OrderRefunded refund when refund.OrderId is { } id && profile.Orders.TryGetValue(id, out var order):
            {
                var refunded = refund.RefundedAmount is { } amount ? Math.Min(order.Value, order.Refunded + amount) : order.Value;
                var orders = profile.Orders.SetItem(id, order with { Refunded = refunded });
                return profile with { Orders = orders, Computed = WithOrders(profile.Computed, orders) };
            }
            case OrderCancelled cancel when cancel.OrderId is { } id && profile.Orders.TryGetValue(id, out var order):
            {
                var orders = profile.Orders.SetItem(id, order with { Cancelled = true });
                return profile with { Orders = orders, Computed = WithOrders(profile.Computed, orders) };
            }
            default:
                return profile;
        }
    }

    private static ComputedTraits WithOrders(ComputedTraits computed, ImmutableSortedDictionary<string, OrderRecord> orders)
    {
        var counted = orders.Values.Where(o => !o.Cancelled).ToList();
        return computed with
        {
            OrderCount = counted.Count,
            TotalRevenue = counted.Sum(o => o.NetValue),
            FirstOrderDate = counted.Count == 0 ? null : counted.Min(o => o.PlacedAt),
            LastOrderDate = counted.Count == 0 ? null : counted.Max(o => o.PlacedAt),
            Currency = counted.OrderBy(o => o.PlacedAt).LastOrDefault()?.Currency ?? computed.Currency,
        };
    }

    private static ComputedTraits Seen(ComputedTraits computed, DateTimeOffset at) => computed with
    {
        FirstSeen = Min(computed.FirstSeen, at),
        LastSeen = Max(computed.LastSeen, at),
        EventCount = computed.EventCount + 1,
    };

    private static ProductSeen Seen(Product product, DateTimeOffset at) => new(product.ProductId ?? product.Sku, product.Name, at);

    private static ImmutableList<IdentityKey> AddIdentities(ImmutableList<IdentityKey> current, IEnumerable<IdentityKey> added)
    {
        var result = current;
        foreach (var key in added)
        {
            if (!result.Contains(key))
                result = result.Add(key);
        }
        return result;
    }

    private static JsonElement Properties(JsonElement body) => Object(body, "properties") ?? default;

    private static JsonElement? Object(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Text(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static ProductSeen? Latest(ProductSeen? a, ProductSeen? b) => a is null ? b : b is null ? a : a.At >= b.At ? a : b;
}
