using System.Text.Json.Nodes;

namespace Nudge.Core.Connectors;

/// <summary>The person a shop payload is about, by the ids identity resolution knows them by.</summary>
/// <param name="CustomerId">The shop's customer id (becomes the userId); null for guests.</param>
/// <param name="Email">The email address as the shop has it.</param>
/// <param name="Phone">The phone number as the shop has it.</param>
/// <param name="Traits">Further traits: names, address (its country reads phone numbers without a country code).</param>
public sealed record ShopCustomer(string? CustomerId, string? Email, string? Phone, JsonObject Traits)
{
    /// <summary>True when the payload names the person by at least one id.</summary>
    public bool IsKnown => CustomerId is not null || Email is not null || Phone is not null;
}

/// <summary>
/// One event a shop payload stands for: a Segment e-commerce track event (<see cref="Name"/> set) or an identify
/// (<see cref="Name"/> null), with a message id made from the shop's own ids so a payload sent again is the same message.
/// </summary>
/// <param name="MessageId">Deterministic: platform, shop, object and what happened to it.</param>
/// <param name="Name">The track event's name, or null for an identify.</param>
/// <param name="Timestamp">When it happened, by the shop's clock.</param>
/// <param name="Customer">
/// Whom it is about. Unknown (no id at all) for events that name only their order, such as Shopify refunds: the connector
/// attaches them to the buyer of the order in <c>order_id</c>.
/// </param>
/// <param name="Properties">The track event's properties (empty for an identify).</param>
public sealed record ShopEvent(string MessageId, string? Name, DateTimeOffset Timestamp, ShopCustomer Customer, JsonObject Properties);

/// <summary>What a delivery's payload maps to.</summary>
/// <param name="Known">False for a topic Nudge does not map (the delivery is kept and marked ignored).</param>
/// <param name="Events">The events to append.</param>
/// <param name="Products">Catalog changes: products as the shop describes them.</param>
/// <param name="Note">Why some or all of the payload led to nothing (a guest checkout without any id, a deleted entity).</param>
public sealed record ShopMapping(bool Known, IReadOnlyList<ShopEvent> Events, IReadOnlyList<ShopProduct> Products, string? Note = null)
{
    public static ShopMapping Unknown(string topic) => new(false, [], [], $"topic '{topic}' is not mapped");

    public static ShopMapping Of(IReadOnlyList<ShopEvent> events, string? note = null) => new(true, events, [], note);
}
