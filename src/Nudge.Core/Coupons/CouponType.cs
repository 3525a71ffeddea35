namespace Nudge.Core.Coupons;

/// <summary>What a coupon gives: a share off, an amount off, or free shipping.</summary>
public enum CouponType
{
    /// <summary>A percentage off the order (<c>percent</c>).</summary>
    Percent,

    /// <summary>A fixed amount off, in the pool's currency (<c>fixed</c>).</summary>
    Fixed,

    /// <summary>Shipping costs nothing (<c>freeShipping</c>).</summary>
    FreeShipping,
}

/// <summary>The names coupon types have in the API and in events.</summary>
public static class CouponTypes
{
    /// <summary>The type's name as definitions spell it.</summary>
    public static string Name(CouponType type) => type switch
    {
        CouponType.Percent => "percent",
        CouponType.Fixed => "fixed",
        _ => "freeShipping",
    };

    /// <summary>The type a name stands for; null for none.</summary>
    public static CouponType? Parse(string? name) => name switch
    {
        "percent" => CouponType.Percent,
        "fixed" => CouponType.Fixed,
        "freeShipping" => CouponType.FreeShipping,
        _ => null,
    };
}
