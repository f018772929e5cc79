using System.Net.Mail;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrdersFunctions.App.Orders;

/// <summary>
/// Reads and validates a <c>POST /api/orders</c> JSON body strictly, collecting every problem keyed by its JSON path
/// (<c>items[0].quantity</c>), so that the client fixes them all in one go. Walks a <see cref="JsonDocument"/> rather
/// than deserialising: the serializer stops at the first unknown or mistyped member and names none of the others.
/// </summary>
/// <remarks>
/// Accepted body: <c>{"customerEmail": string, "customerName"?: string, "currency"?: "EUR" (any case, stored in
/// capitals), "items": [{"sku": string, "quantity": integer, "unitPrice": number}]}</c>. Property names match
/// case-insensitively (as the Functions POCO binding does); any other property is an error.
/// </remarks>
public static partial class OrderRequestReader
{
    public const int MaxItems = 100;
    public const int MaxQuantity = 10_000;
    public const decimal MaxUnitPrice = 1_000_000m;
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 100;
    public const string DefaultCurrency = "EUR";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    /// <summary>Reads <paramref name="utf8Json"/>; returns the request, or null with <paramref name="errors"/>
    /// filled.</summary>
    public static OrderRequest? Read(ReadOnlyMemory<byte> utf8Json, out Dictionary<string, string[]> errors)
    {
        var found = new Errors();
        // JsonDocument checks UTF-8 only outside strings; invalid bytes inside one surface later, as an
        // InvalidOperationException from GetString (a 500). Checking the whole body first makes them a 400.
        if (BodyPosition.FirstInvalidUtf8(utf8Json.Span) is { } invalid)
        {
            found.Add("$", $"is not valid UTF-8 at {BodyPosition.Describe(utf8Json.Span, invalid)}: "
                + "send the body encoded as UTF-8");
            errors = found.ToDictionary();
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            found.Add("$", MalformedJson(utf8Json.Span, ex));
            errors = found.ToDictionary();
            return null;
        }

        using (document)
        {
            var request = ReadOrder(document.RootElement, found);
            errors = found.ToDictionary();
            return found.Count == 0 ? request : null;
        }
    }

    /// <summary>The parser's reason (its first sentence, without its zero-based position) and where, in
    /// words.</summary>
    private static string MalformedJson(ReadOnlySpan<byte> body, JsonException ex)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty)
            return "is empty: send the order as a JSON object";
        var reason = ex.Message.Split(" LineNumber:")[0].Split(" Path:")[0];
        var sentenceEnd = reason.IndexOf(". ", StringComparison.Ordinal);
        reason = (sentenceEnd < 0 ? reason : reason[..(sentenceEnd + 1)]).TrimEnd('.');
        return ex.LineNumber is { } line && ex.BytePositionInLine is { } bytes
            ? $"is not valid JSON: {reason}, at {BodyPosition.Describe(body, BodyPosition.Offset(body, line, bytes))}"
            : $"is not valid JSON: {reason}";
    }

    private static OrderRequest? ReadOrder(JsonElement root, Errors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "must be a JSON object");
            return null;
        }

        var fields = Fields(root, "", errors, "customerEmail", "customerName", "currency", "items");
        var email = ReadEmail(Get(fields, "customerEmail"), errors);
        var name = ReadName(Get(fields, "customerName"), errors);
        var currency = ReadCurrency(Get(fields, "currency"), errors);
        var items = ReadItems(Get(fields, "items"), errors);
        return email is null || items is null || currency is null
            ? null
            : new OrderRequest(email, name, items, currency);
    }

    /// <summary>The known properties of an object by canonical name; unknown and repeated ones are errors.</summary>
    private static Dictionary<string, JsonElement> Fields(JsonElement obj, string prefix, Errors errors,
        params string[] known)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!TryDecode(() => property.Name, out var name))
            {
                errors.Add(prefix + "(name)", InvalidEscape);
                continue;
            }
            var canonical = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
                errors.Add(prefix + name, "is not a known field");
            else if (!fields.TryAdd(canonical, property.Value))
                errors.Add(prefix + canonical, "appears more than once");
        }
        return fields;
    }

    private static JsonElement? Get(Dictionary<string, JsonElement> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : null;

    private static string? ReadEmail(JsonElement? value, Errors errors)
    {
        const string path = "customerEmail";
        var text = ReadString(value, path, required: true, errors);
        if (text is null)
            return null;
        if (text.Length > MaxEmailLength)
            errors.Add(path, $"must be at most {MaxEmailLength} characters");
        // MailAddress also takes "Name <a@b>" and surrounding spaces; only a bare address is an e-mail field.
        else if (!MailAddress.TryCreate(text, out var address) || address.Address != text
            || !address.Host.Contains('.'))
            errors.Add(path, "must be an e-mail address such as name@example.com");
        else
            return text;
        return null;
    }

    private static string? ReadName(JsonElement? value, Errors errors)
    {
        const string path = "customerName";
        if (value is { ValueKind: JsonValueKind.Null })
            return null;
        var text = ReadString(value, path, required: false, errors);
        if (text is null)
            return null;
        if (text.Length > MaxNameLength)
            errors.Add(path, $"must be at most {MaxNameLength} characters");
        else if (text.Any(char.IsControl))
            errors.Add(path, "must not contain control characters");
        else
            return text.Length == 0 ? null : text;
        return null;
    }

    private static string? ReadCurrency(JsonElement? value, Errors errors)
    {
        const string path = "currency";
        if (value is null)
            return DefaultCurrency;
        var text = ReadString(value, path, required: true, errors);
        if (text is null)
            return null;
        if (!CurrencyFormat().IsMatch(text))
        {
            errors.Add(path, "must be a three-letter ISO 4217 code such as EUR (letters A-Z, any case)");
            return null;
        }
        return text.ToUpperInvariant(); // "usd" means USD; the event always carries the code in capitals
    }

    private static List<OrderLine>? ReadItems(JsonElement? value, Errors errors)
    {
        const string path = "items";
        if (value is null)
        {
            errors.Add(path, "is required");
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be an array");
            return null;
        }
        var count = value.Value.GetArrayLength();
        if (count == 0)
        {
            errors.Add(path, "must contain at least one item");
            return null;
        }
        if (count > MaxItems)
        {
            errors.Add(path, $"must contain at most {MaxItems} items");
            return null;
        }

        var lines = new List<OrderLine>(count);
        var index = 0;
        foreach (var element in value.Value.EnumerateArray())
        {
            var line = ReadItem(element, $"items[{index++}]", errors);
            if (line is not null)
                lines.Add(line);
        }
        return lines.Count == count ? lines : null;
    }

    private static OrderLine? ReadItem(JsonElement item, string path, Errors errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object");
            return null;
        }
        var fields = Fields(item, path + ".", errors, "sku", "quantity", "unitPrice");
        var before = errors.Count;

        var sku = ReadString(Get(fields, "sku"), path + ".sku", required: true, errors);
        if (sku is not null && !SkuFormat().IsMatch(sku))
            errors.Add(path + ".sku", "must be 1-64 letters, digits, '.', '_' or '-'");

        int quantity = 0;
        if (ReadNumber(Get(fields, "quantity"), path + ".quantity", errors) is { } q)
        {
            if (decimal.Truncate(q) != q)
                errors.Add(path + ".quantity", "must be a whole number");
            else if (q <= 0)
                errors.Add(path + ".quantity", "must be > 0");
            else if (q > MaxQuantity)
                errors.Add(path + ".quantity", $"must be <= {MaxQuantity}");
            else
                quantity = (int)q;
        }

        decimal price = 0;
        if (ReadNumber(Get(fields, "unitPrice"), path + ".unitPrice", errors) is { } p)
        {
            if (p < 0)
                errors.Add(path + ".unitPrice", "must be >= 0");
            else if (p > MaxUnitPrice)
                errors.Add(path + ".unitPrice", $"must be <= {MaxUnitPrice}");
            else if (decimal.Round(p, 2) != p)
                errors.Add(path + ".unitPrice", "must have at most 2 decimal places");
            else
                price = p;
        }

        return errors.Count == before ? new OrderLine(sku!, quantity, price) : null;
    }

    private static string? ReadString(JsonElement? value, string path, bool required, Errors errors)
    {
        if (value is null)
        {
            if (required)
                errors.Add(path, "is required");
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, "must be a string");
            return null;
        }
        if (!TryDecode(value.Value.GetString, out var text))
        {
            errors.Add(path, InvalidEscape);
            return null;
        }
        if (required && string.IsNullOrWhiteSpace(text))
        {
            errors.Add(path, "must not be empty");
            return null;
        }
        return text;
    }

    private const string InvalidEscape =
        "is not valid text: it holds a \\u escape of half a surrogate pair (such as \\ud800 alone)";

    /// <summary>
    /// Decodes a JSON string or property name. The body is valid UTF-8 by now, but a <c>\u</c> escape of a lone
    /// surrogate is valid JSON syntax that no .NET string can hold: the reader throws
    /// <see cref="InvalidOperationException"/> for it, and only for it, when the text is decoded.
    /// </summary>
    private static bool TryDecode(Func<string?> decode, out string text)
    {
        try
        {
            text = decode() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static decimal? ReadNumber(JsonElement? value, string path, Errors errors)
    {
        if (value is null)
        {
            errors.Add(path, "is required");
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(path, "must be a number");
            return null;
        }
        if (!value.Value.TryGetDecimal(out var number))
        {
            errors.Add(path, "is out of range");
            return null;
        }
        return number;
    }

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyFormat();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SkuFormat();

    /// <summary>Field path → messages, in the order found.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public void Add(string field, string message)
        {
            if (!_byField.TryGetValue(field, out var messages))
                _byField[field] = messages = [];
            messages.Add(message);
            Count++;
        }

        public Dictionary<string, string[]> ToDictionary() =>
            _byField.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}
