using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace OrdersFunctions.App.Tests.Http;

/// <summary>
/// Generators of <c>POST /api/orders</c> requests for the "no input yields a 5xx" property: valid orders and
/// mutations of them (bytes flipped, fields replaced or removed, invalid UTF-8 or a lone-surrogate escape put inside
/// a string, cut short), random bodies, Content-Type values and headers.
/// </summary>
public static class HttpInputGenerators
{
    private static readonly JsonSerializerOptions RawUtf8 =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Gen<T> OneOf<T>(params IGen<T>[] gens) => Gen.OneOf<T>(gens);

    private static readonly Gen<string> AnyText = OneOf<string>(
        Gen.String[0, 20],
        Gen.Char["abcXYZ019 .@_-éß€\t\"\\"].Array[0, 12].Select(c => new string(c)),
        Gen.OneOf("", " ", "a@b.example", "Ada <a@b.example>", "x@y", new string('a', 300), "\u0000",
            "\ud83d\ude00"));

    private static readonly Gen<JsonNode?> AnyJsonValue = OneOf<JsonNode?>(
        AnyText.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.OneOf<JsonNode?>(null, JsonValue.Create(true), JsonValue.Create(1.005m), JsonValue.Create(-0.0),
            JsonValue.Create(1e300), new JsonArray(), new JsonObject(), JsonValue.Create(decimal.MaxValue)));

    private static readonly Gen<JsonObject> ValidItem =
        Gen.Select(Gen.OneOf("BOOK-1", "PEN-2", "a.b_c-9"), Gen.Int[1, 10_000], Gen.Int[0, 100_000],
            (sku, quantity, cents) =>
                new JsonObject { ["sku"] = sku, ["quantity"] = quantity, ["unitPrice"] = cents / 100m });

    /// <summary>Orders that pass validation (currency in any case).</summary>
    public static readonly Gen<JsonObject> ValidOrder =
        Gen.Select<int, string?, JsonObject[], JsonObject>(
            Gen.Int[0, 1_000_000], Gen.OneOf<string?>("EUR", "usd", "Gbp", null), ValidItem.Array[1, 3],
            (n, currency, items) =>
            {
                var order = new JsonObject
                {
                    ["customerEmail"] = $"c{n}@shop.example",
                    ["customerName"] = $"Customer {n}",
                    ["items"] = new JsonArray(items),
                };
                if (currency is not null)
                    order["currency"] = currency;
                return order;
            });

    private static readonly string[] FieldPaths =
    [
        "customerEmail", "customerName", "currency", "items", "coupon", "Items",
        "items.0.sku", "items.0.quantity", "items.0.unitPrice", "items.0.extra",
    ];

    private static readonly Gen<JsonObject> OrderWithReplacedField =
        Gen.Select(ValidOrder, Gen.OneOf(FieldPaths), AnyJsonValue, Gen.Bool, (order, path, value, remove) =>
        {
            var parts = path.Split('.');
            var target = parts.Length == 1 ? order : order["items"]![0]!.AsObject();
            var name = parts[^1];
            if (remove)
                target.Remove(name);
            else
                target[name] = value?.DeepClone();
            return order;
        });

    private static byte[] Utf8(JsonObject order) => JsonSerializer.SerializeToUtf8Bytes(order, RawUtf8);

    /// <summary>Byte sequences that are not UTF-8: a stray continuation byte, cut-off sequences, overlong forms, an
    /// encoded surrogate, a code point past U+10FFFF.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [0xBA], [0xC3], [0xE2, 0x82], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly Gen<byte[]> InvalidUtf8InsideAString =
        Gen.Select<JsonObject, int, int, byte[]>(ValidOrder, Gen.Int[0, 1000], Gen.Int[0, InvalidUtf8.Length - 1],
            (order, at, which) =>
            {
                var body = Utf8(order);
                var quotes = Enumerable.Range(0, body.Length).Where(i => body[i] == (byte)'"').ToArray();
                var after = quotes[at % quotes.Length] + 1; // just after a quote: inside a string (value or name)
                return [.. body[..after], .. InvalidUtf8[which], .. body[after..]];
            });

    private static readonly Gen<byte[]> LoneSurrogateEscape =
        Gen.Select(ValidOrder, Gen.OneOf("customerEmail", "customerName", "currency", "sku", "\\u0041"),
            Gen.OneOf("\\ud800", "\\udfff", "\\ud83d x"),
            (order, field, escape) =>
            {
                var json = Encoding.UTF8.GetString(Utf8(order));
                var at = json.IndexOf('"' + field + '"', StringComparison.Ordinal);
                // Into the field's value when present, else into the first property name.
                var insertAt = at < 0 ? 2 : json.IndexOf('"', json.IndexOf(':', at) + 1) + 1;
                return Encoding.UTF8.GetBytes(json.Insert(insertAt, escape));
            });

    private static readonly Gen<byte[]> FlippedBytes =
        Gen.Select(ValidOrder, Gen.Select(Gen.Int[0, 10_000], Gen.Byte[1, 255]).Array[1, 4], (order, flips) =>
        {
            var body = Utf8(order);
            foreach (var (at, mask) in flips)
                body[at % body.Length] ^= mask;
            return body;
        });

    private static readonly Gen<byte[]> CutShort =
        Gen.Select(ValidOrder, Gen.Int[0, 10_000], (order, at) =>
        {
            var body = Utf8(order);
            return body[..(at % body.Length)];
        });

    private static readonly Gen<byte[]> RandomBody = OneOf<byte[]>(
        Gen.Byte.Array[0, 200],
        Gen.Char["{}[]\":,0123456789.eE-+ truefalsn\\u"].Array[0, 80].Select(c => Encoding.UTF8.GetBytes(c)),
        Gen.OneOf<byte[]>([], "null"u8.ToArray(), "[]"u8.ToArray(), "{}"u8.ToArray(), "\"order\""u8.ToArray(),
            [0xEF, 0xBB, 0xBF, .. "{}"u8], Encoding.Unicode.GetBytes("{\"customerEmail\":\"a@b.example\"}"),
            Encoding.UTF8.GetBytes(new string('[', 5_000) + new string(']', 5_000)),
            Encoding.UTF8.GetBytes("{\"customerEmail\":\"a@b.example\",\"customerName\":\"" + new string('x', 70_000)
                + "\",\"items\":[]}")));

    public static readonly Gen<byte[]> Body = Gen.Frequency<byte[]>(
        (4, ValidOrder.Select(Utf8)),
        (3, OrderWithReplacedField.Select(Utf8)),
        (3, InvalidUtf8InsideAString),
        (2, LoneSurrogateEscape),
        (3, FlippedBytes),
        (1, CutShort),
        (3, RandomBody));

    // Mostly JSON types, so that most bodies reach validation; the rest must be refused with 415, never 5xx.
    public static readonly Gen<string?> ContentType = Gen.Frequency<string?>(
        (6, Gen.OneOf<string?>("application/json", "application/json; charset=utf-8",
            "application/json; charset=\"UTF-8\"", "text/json", "application/vnd.api+json",
            "application/problem+json")),
        (3, Gen.OneOf<string?>("application/json; charset=utf-16", "text/plain", "application/xml", "*/*",
            "application/*", "+json", "application/+json", "", null, "application/json; charset=",
            "application/json;;;", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded")),
        (1, Gen.Char[' ', '~'].Array[0, 40].Select(c => (string?)new string(c))));

    private static readonly Gen<string> VisibleAscii = Gen.Char[' ', '~'].Array[0, 40].Select(c => new string(c));

    private static readonly Gen<(string, string)> Header = OneOf<(string, string)>(
        Gen.Select(Gen.OneOf("Idempotency-Key"), OneOf<string>(
            Gen.Const(() => Guid.NewGuid().ToString()), // fresh: 202 for a valid order
            Gen.OneOf("same-key-1", "same-key-2", "", " ", new string('k', 256)), VisibleAscii)),
        Gen.Select(
            Gen.OneOf("Accept", "Accept-Charset", "Content-Encoding", "x-functions-key", "X-Requested-With", "Prefer",
                "If-None-Match"),
            OneOf<string>(VisibleAscii,
                Gen.OneOf("application/xml", "text/plain", "gzip", "*/*;q=0", "respond-async"))));

    public static readonly Gen<GeneratedRequest> Request =
        Gen.Select(Body, ContentType, Header.Array[0, 3], Gen.Int[0, 9],
            (body, contentType, headers, chunked) =>
                new GeneratedRequest(body, contentType, headers, Chunked: chunked == 0));
}
