namespace Nudge.Server.Imports;

/// <summary>A field an import reads from each row, found in the column of the same name unless the mapping names another.</summary>
/// <param name="Name">The field's name (<c>email</c>, <c>order_id</c>, ...).</param>
/// <param name="Description">What it holds, for help texts and the docs.</param>
internal sealed record ImportField(string Name, string Description);

/// <summary>What can be imported, and the fields each kind reads (ADR 0017).</summary>
internal sealed record ImportKind(string Name, IReadOnlyList<ImportField> Fields)
{
    public const string CustomersName = "customers";
    public const string OrdersName = "orders";
    public const string ProductsName = "products";

    public static ImportKind Customers { get; } = new(CustomersName,
    [
        new("email", "the customer's email address (email or user_id is required)"),
        new("user_id", "the shop's customer id"),
        new("phone", "phone number, E.164 or national in the workspace's region"),
        new("first_name", "first name"),
        new("last_name", "last name"),
        new("created_at", "when the customer signed up (ISO 8601 or Unix seconds); also kept as a trait"),
    ]);

    public static ImportKind Orders { get; } = new(OrdersName,
    [
        new("order_id", "the shop's order id (required); consecutive rows with the same id are the lines of one order"),
        new("timestamp", "when the order was placed (required; ISO 8601 or Unix seconds)"),
        new("email", "the customer's email address (email, user_id or phone is required)"),
        new("user_id", "the shop's customer id"),
        new("phone", "the customer's phone number"),
        new("revenue", "revenue of the order"),
        new("total", "order total with shipping and tax"),
        new("subtotal", "order total before shipping and tax"),
        new("shipping", "shipping cost"),
        new("tax", "tax"),
        new("discount", "discount given"),
        new("coupon", "coupon code redeemed"),
        new("currency", "ISO 4217 currency code"),
        new("products", "the order's products as a JSON array of Segment product objects"),
        new("product_id", "a line's product id"),
        new("sku", "a line's SKU"),
        new("product_name", "a line's product name"),
        new("category", "a line's category"),
        new("brand", "a line's brand"),
        new("variant", "a line's variant"),
        new("price", "a line's unit price"),
        new("quantity", "a line's quantity (whole number, default 1)"),
    ]);

    public static IReadOnlyList<ImportKind> All { get; } = [Customers, Orders];

    public static ImportKind? Find(string? name) => All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The kinds by name, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(k => k.Name));

    public int IndexOf(string field)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == field)
                return i;
        }
        return -1;
    }
}
