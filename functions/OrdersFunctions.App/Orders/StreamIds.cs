using System.Globalization;

namespace OrdersFunctions.App.Orders;

/// <summary>Redis stream entry ids (<c>ms-seq</c>) compared numerically, as Redis orders them.</summary>
public static class StreamIds
{
    /// <summary>Negative, zero or positive as <paramref name="a"/> is before, equal to or after <paramref name="b"/>.</summary>
    public static int Compare(string a, string b)
    {
        var (aMs, aSeq) = Parse(a);
        var (bMs, bSeq) = Parse(b);
        return aMs != bMs ? aMs.CompareTo(bMs) : aSeq.CompareTo(bSeq);
    }

    /// <summary>The millisecond part of an id.</summary>
    public static ulong TimePart(string id) => Parse(id).Ms;

    private static (ulong Ms, ulong Seq) Parse(string id)
    {
        var dash = id.IndexOf('-');
        var ms = ulong.Parse(dash < 0 ? id : id[..dash], CultureInfo.InvariantCulture);
        var seq = dash < 0 ? 0 : ulong.Parse(id[(dash + 1)..], CultureInfo.InvariantCulture);
        return (ms, seq);
    }
}
