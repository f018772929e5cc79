using System.Globalization;

namespace OrdersFunctions.Ops.Status;

/// <summary>Ages and idle times for people: two units at most ("0.4s", "42s", "2m03s", "1h05m", "3d04h").</summary>
public static class Duration
{
    public static string Of(double? seconds)
    {
        if (seconds is null)
            return "-";
        var s = Math.Max(0, seconds.Value);
        if (s < 10)
            return s.ToString("0.0", CultureInfo.InvariantCulture) + "s";
        var t = TimeSpan.FromSeconds(Math.Floor(s));
        return t.TotalMinutes < 1 ? $"{t.Seconds}s"
            : t.TotalHours < 1 ? $"{t.Minutes}m{t.Seconds:00}s"
            : t.TotalDays < 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m"
            : $"{(int)t.TotalDays}d{t.Hours:00}h";
    }
}
