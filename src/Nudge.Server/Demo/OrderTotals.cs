namespace Nudge.Server.Demo;

/// <summary>
/// The money fields of the Segment e-commerce spec: <c>revenue</c> is the subtotal after discount,
/// without shipping and tax; <c>total</c> is what the customer pays.
/// </summary>
internal sealed record OrderTotals(decimal Subtotal, decimal Discount, decimal Revenue, decimal Shipping, decimal Tax, decimal Total)
{
    private const decimal FreeShippingFrom = 49m;
    private const decimal ShippingFee = 4.95m;

    public static OrderTotals For(IEnumerable<CartLine> lines, DemoCoupon? coupon, decimal vatRate)
    {
        var subtotal = lines.Sum(line => line.Product.Price * line.Quantity);
        var discount = Money(subtotal * (coupon?.Percent ?? 0m));
        var revenue = subtotal - discount;
        var shipping = revenue >= FreeShippingFrom ? 0m : ShippingFee;
        var tax = Money(revenue * vatRate);
        return new OrderTotals(subtotal, discount, revenue, shipping, tax, revenue + shipping + tax);
    }

    public static decimal Money(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
