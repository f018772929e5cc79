using System.ComponentModel;
using System.Globalization;

namespace OrdersFunctions.LocalHost;

/// <summary>Route and query values to parameter types (int, Guid, …), invariant culture.</summary>
internal static class TypeConverters
{
    public static bool CanConvertFromString(Type type) =>
        TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).CanConvertFrom(typeof(string));

    public static object? FromString(string value, Type type)
    {
        if (type == typeof(string))
            return value;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return TypeDescriptor.GetConverter(target).ConvertFromString(null, CultureInfo.InvariantCulture, value);
    }
}
