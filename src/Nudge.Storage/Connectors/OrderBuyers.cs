namespace Nudge.Storage.Connectors;

/// <summary>The person who placed an order, by the ids the shop gave.</summary>
/// <param name="CustomerId">The shop's customer id, if the buyer had an account.</param>
/// <param name="Email">The email of the order.</param>
/// <param name="Phone">The phone of the order.</param>
public sealed record OrderBuyer(string? CustomerId, string? Email, string? Phone);

/// <summary>
/// Who bought each order a connector has seen. Shopify refunds name only their order; they are attached to its buyer
/// through this table.
/// </summary>
public sealed class OrderBuyers(Database database)
{
    /// <summary>Records (or completes) the buyer of an order; ids already known are kept when the new payload lacks them.</summary>
    public async Task RememberAsync(string connectorId, string orderId, OrderBuyer buyer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(buyer);
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(
            "INSERT INTO connector_orders (connector_id, order_id, customer_id, email, phone) VALUES (@p0, @p1, @p2, @p3, @p4) " +
            "ON CONFLICT (connector_id, order_id) DO UPDATE SET customer_id = COALESCE(excluded.customer_id, connector_orders.customer_id), " +
            "email = COALESCE(excluded.email, connector_orders.email), phone = COALESCE(excluded.phone, connector_orders.phone)",
            ct, connectorId, orderId, buyer.CustomerId, buyer.Email, buyer.Phone);
    }

    /// <summary>The buyer of an order, or null when the connector has not seen the order.</summary>
    public async Task<OrderBuyer?> FindAsync(string connectorId, string orderId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT customer_id, email, phone FROM connector_orders WHERE connector_id = @p0 AND order_id = @p1", connectorId, orderId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new OrderBuyer(reader.NullableString(0), reader.NullableString(1), reader.NullableString(2)) : null;
    }
}
