using System.Runtime.CompilerServices;

namespace OrdersFunctions.RedisStreams.Testing;

/// <summary>
/// Unique Redis key and group names per test, built from the test's name plus a short random suffix, so tests never
/// share state (and a leftover key in a developer's Redis says which test wrote it).
/// </summary>
public static class TestNames
{
    /// <summary>A stream key like <c>test:FanOut_TwoGroups:3f9a1c</c>; call it from the test method.</summary>
    public static string Stream([CallerMemberName] string testName = "") => $"test:{Shorten(testName)}:{Suffix()}";

    /// <summary>A consumer group name like <c>FanOut_TwoGroups-a-3f9a1c</c>.</summary>
    public static string Group(string role = "g", [CallerMemberName] string testName = "") =>
        $"{Shorten(testName)}-{role}-{Suffix()}";

    /// <summary>A consumer name like <c>c1-3f9a1c</c>.</summary>
    public static string Consumer(string role = "c") => $"{role}-{Suffix()}";

    /// <summary>Six hex digits of randomness.</summary>
    public static string Suffix() =>
        Random.Shared.Next(0, 0xFFFFFF).ToString("x6", System.Globalization.CultureInfo.InvariantCulture);

    private static string Shorten(string name)
    {
        var cleaned = new string(name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
        return cleaned.Length <= 48 ? cleaned : cleaned[..48];
    }
}
