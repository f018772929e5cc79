using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OrdersFunctions.RedisStreams.Redis;

namespace OrdersFunctions.App.Http;

/// <summary>RFC 9457 problem-details answers (<c>application/problem+json</c>).</summary>
public static class Problems
{
    /// <summary>When a client should try again after a 503.</summary>
    public const string RetryAfterSeconds = "5";

    public static IActionResult Validation(IDictionary<string, string[]> errors,
        string detail = "Fix the fields listed in 'errors' and send the request again.",
        string title = "The order is not valid.") =>
        Result(new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title,
            Detail = detail,
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        });

    /// <summary>503 with <c>Retry-After</c>: Redis cannot be used; <paramref name="consequence"/> says what that meant
    /// for this request.</summary>
    public static IActionResult RedisUnavailable(
        HttpRequest request, string title, RedisConnectionProblem problem, string consequence)
    {
        request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        return Status(StatusCodes.Status503ServiceUnavailable, title, $"{problem.Message} {consequence}");
    }

    public static IActionResult Status(int status, string title, string detail) =>
        Result(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeFor(status) });

    private static ObjectResult Result(ProblemDetails problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    private static string TypeFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        StatusCodes.Status403Forbidden => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        StatusCodes.Status404NotFound => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        StatusCodes.Status409Conflict => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status415UnsupportedMediaType => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        StatusCodes.Status422UnprocessableEntity => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        StatusCodes.Status503ServiceUnavailable => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
