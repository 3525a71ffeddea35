using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Core.Coupons;
using Nudge.Core.Ingestion;
using Nudge.Storage.Coupons;
using Nudge.Storage.Events;

namespace Nudge.Engine.Coupons;

/// <summary>
/// Watches the events the profile grains apply for codes used in the shop (<c>Coupon Applied</c>, orders with a
/// coupon), marks those codes redeemed and writes <c>Coupon Redeemed</c> to the log for the person the code was
/// given to, so their flows can react. The event's message id is made from the code and the redeeming event, so a
/// replayed event writes nothing twice (ADR 0018).
/// </summary>
public sealed class CouponRedemptions(CouponStore store, EventLog log)
{
    /// <summary>Redeems the codes <paramref name="events"/> name; cheap for events that name none.</summary>
    public async Task ObserveAsync(IReadOnlyList<LoggedEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        List<EventToAppend>? redeemed = null;
        foreach (var e in events)
        {
            foreach (var code in RedeemedCodes.In(e))
            {
                foreach (var redemption in await store.RedeemAsync(e.WorkspaceId, code, e.ProfileId, e.MessageId, RedeemedCodes.OrderId(e), e.Timestamp, ct))
                    (redeemed ??= []).Add(Event(e.WorkspaceId, redemption));
            }
        }
        if (redeemed is not null)
            await log.AppendAsync(redeemed, ct);
    }

    /// <summary>The message id of the <c>Coupon Redeemed</c> event one event's use of one code writes.</summary>
    public static string MessageId(string poolId, string code, string redeemingMessageId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(poolId + "\n" + CouponCodes.Key(code) + "\n" + redeemingMessageId));
        return "nudge-coupon-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static EventToAppend Event(string workspaceId, CouponRedemption r)
    {
        var messageId = MessageId(r.Pool.Id, r.Code, r.MessageId);
        var settings = r.Pool.Settings;
        var properties = new JsonObject
        {
            ["code"] = r.Code,
            ["pool_id"] = r.Pool.Id,
            ["pool_name"] = settings.Name,
            ["type"] = CouponTypes.Name(settings.Type),
            ["value"] = settings.Amount,
            ["currency"] = settings.Currency,
            ["order_id"] = r.OrderId,
            ["redeemed_by"] = r.RedeemedBy,
        };
        // To the person the code was given to: it is their "remind me if not redeemed" flow that waits for it.
        return EventToAppend.ProfileTrack(workspaceId, r.AssignedTo ?? r.RedeemedBy, RedeemedCodes.Redeemed, messageId, r.RedeemedAt, properties);
    }
}
