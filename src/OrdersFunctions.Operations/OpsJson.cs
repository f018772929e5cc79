using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrdersFunctions.Operations;

/// <summary>
/// How the operator surface writes JSON, for every face: camelCase, absent values written as null (the contract of
/// docs/ops-api.md lists every field), so the Functions host, the local host and <c>./ops.sh --json</c> give the same
/// bytes for the same answer.
/// </summary>
public static class OpsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Indented, for a terminal.</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static string Serialize(object body, bool indented = false) =>
        JsonSerializer.Serialize(body, indented ? Indented : Options);
}
