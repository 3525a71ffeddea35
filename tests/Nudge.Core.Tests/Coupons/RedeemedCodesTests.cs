using System.Text.Json;
using Nudge.Core.Coupons;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;

namespace Nudge.Core.Tests.Coupons;

public sealed class RedeemedCodesTests
{
    private static LoggedEvent Track(string name, object properties) =>
        new(1, "ws", "prf", "msg_1", MessageType.Track, name, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, KeyKind.Server,
            JsonSerializer.SerializeToElement(new { type = "track", @event = name, properties }), EventIdentity.None);

    [Fact]
    public void An_order_names_its_coupons_and_its_discount_codes_once_each()
    {
        var order = Track("Order Completed", new { order_id = 1001, coupon = "SPRING-1, vip-7", discount_codes = new object[] { new { code = "spring-1" }, "EXTRA" } });

        Assert.Equal(["SPRING-1", "vip-7", "EXTRA"], RedeemedCodes.In(order));
        Assert.Equal("1001", RedeemedCodes.OrderId(order));
    }

    [Fact]
    public void Coupon_Applied_names_its_code_by_id_or_name()
    {
        Assert.Equal(["WELCOME-1"], RedeemedCodes.In(Track("Coupon Applied", new { coupon_id = "WELCOME-1", cart_id = "c1" })));
        Assert.Equal(["WELCOME-2"], RedeemedCodes.In(Track("Coupon Applied", new { coupon_name = "WELCOME-2" })));
    }

    [Fact]
    public void Other_events_name_no_codes()
    {
        Assert.Empty(RedeemedCodes.In(Track("Checkout Started", new { coupon = "SPRING-1" })));
        Assert.Empty(RedeemedCodes.In(Track("Order Completed", new { revenue = 10 })));
    }
}
