using MimeKit;
using OrdersFunctions.App.Notifications;
using OrdersFunctions.App.Orders;

namespace OrdersFunctions.App.Tests;

/// <summary>
/// The direct .eml rendering writes exactly MimeKit's bytes, and declines what it cannot write that way.
/// </summary>
public sealed class PlainOrderEmailTests
{
    private const string From = "orders@example.com";

    private static OrderPlaced Order(string? name = null, string email = "bench@example.com", string? id = null,
        DateTimeOffset? placedAt = null, string sku = "BOOK-1", decimal price = 12.5m) =>
        new(id ?? OrderIntake.NewOrderId(), email, name, [new OrderLine(sku, 2, price), new OrderLine("PEN", 1, 1m)],
            2 * price + 1m, "EUR", placedAt ?? new DateTimeOffset(2026, 12, 2, 16, 5, 7, 123, TimeSpan.Zero));

    private static byte[] MimeKitBytes(OrderPlaced order, string from)
    {
        using var output = new MemoryStream();
        OrderEmail.Compose(order, from).WriteTo(FormatOptions.Default, output);
        return output.ToArray();
    }

    private static byte[] RenderedBytes(OrderPlaced order, string from)
    {
        using var output = new MemoryStream();
        OrderEmail.WriteTo(order, from, output, CancellationToken.None);
        return output.ToArray();
    }

    public static TheoryData<OrderPlaced, string> Orders() => new()
    {
        { Order(), From },
        { Order(name: ""), From },
        { Order(name: "Zoe"), From },
        { Order(name: "Zoe Mueller 2"), From },
        { Order(name: "Zoë Müller"), From },
        { Order(name: "J. Smith"), From },
        { Order(name: "O'Brien, Pat"), From },
        { Order(name: "Zoe  Mueller"), From },
        { Order(name: new string('a', 70)), From },
        { Order(email: "jo.doe+tag@sub.example.com"), From },
        { Order(email: "Upper.Case@Example.COM", name: "Zoe"), From },
        { Order(email: "\"quoted local\"@example.com"), From },
        { Order(email: "a@b"), From },
        { Order(email: "zoë@exämple.com"), From },
        { Order(id: "a"), From },
        { Order(id: "abc-DEF-123"), From },
        { Order(id: new string('9', 64)), From },
        { Order(placedAt: new DateTimeOffset(1999, 1, 9, 3, 4, 5, TimeSpan.Zero)), From },
        { Order(placedAt: new DateTimeOffset(2026, 7, 1, 23, 59, 59, TimeSpan.FromHours(2))), From },
        { Order(placedAt: new DateTimeOffset(2026, 7, 1, 23, 59, 59, TimeSpan.FromMinutes(-210))), From },
        { Order(sku: "ÄPFEL-1"), From },
        { Order(sku: new string('S', 1200)), From },
        { Order(price: 1234567.891m), From },
        { Order(), "Orders Team <orders@example.com>" },
        { Order(), "shop@example.org" },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void WriteTo_WritesExactlyWhatMimeKitWrites(OrderPlaced order, string from)
    {
        Assert.Equal(System.Text.Encoding.UTF8.GetString(MimeKitBytes(order, from)),
            System.Text.Encoding.UTF8.GetString(RenderedBytes(order, from)));
    }

    [Fact]
    public void PlainOrder_IsWrittenWithoutMimeKit()
    {
        var order = Order(name: "Zoe");
        using var output = new MemoryStream();

        Assert.True(PlainOrderEmail.TryWrite(order, From, output));
        Assert.Equal(MimeKitBytes(order, From), output.ToArray());
    }

    [Fact]
    public void OrderWithANonAsciiName_IsLeftToMimeKit()
    {
        using var output = new MemoryStream();

        Assert.False(PlainOrderEmail.TryWrite(Order(name: "Zoë"), From, output));
        Assert.Equal(0, output.Length);
    }
}
