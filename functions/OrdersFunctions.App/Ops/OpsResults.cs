using Microsoft.AspNetCore.Mvc;

namespace OrdersFunctions.App.Ops;

/// <summary>The ops functions' JSON answers, written with the operator surface's own serializer settings
/// (<see cref="OrdersFunctions.Operations.OpsJson"/>) rather than left to the host's, so the Functions host and the
/// local host answer the same bytes.</summary>
public static class OpsResults
{
    public static ContentResult Json(object body, int status = 200) => new()
    {
        StatusCode = status,
        ContentType = "application/json; charset=utf-8",
        Content = OrdersFunctions.Operations.OpsJson.Serialize(body),
    };
}
