using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrdersFunctions.App.Functions;
using OrdersFunctions.LocalHost;
using OrdersFunctions.RedisStreams.Testing.Servers;

namespace OrdersFunctions.App.Tests.OpenApi;

/// <summary>
/// <c>docs/openapi.json</c> against the real app: the same routes as its HTTP functions, and real answers (through
/// the local host, real Redis) whose status codes, bodies and headers the document lists. Driven by the document,
/// so every route it describes is exercised once the app has it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class OpenApiDocumentTests(RedisServerFixture redis)
{
    private const string MasterKey = "openapi-test-master-key";
    private static readonly string[] OperationsPrefixes = ["/api/ops", "/api/health"];

    private static readonly OpenApiDocument Document = OpenApiDocument.Load();

    private static IReadOnlySet<(string Method, string Path)> AppRoutes =>
        AppHttpRoutes.Discover(typeof(PlaceOrder).Assembly, HostJson.DefaultHttpRoutePrefix);

    /// <summary>
    /// The operations routes of docs/ops-api.md are documented before their functions are merged into this app. Until
    /// the app has any of them, they are left out of the comparison; once it has one, all must match.
    /// </summary>
    private static bool AppHasOperationsRoutes => AppRoutes.Any(r => OperationsPrefixes.Any(r.Path.StartsWith));

    private static bool Compared((string Method, string Path) route) =>
        AppHasOperationsRoutes || !OperationsPrefixes.Any(route.Path.StartsWith);

    [Fact]
    public void DocumentedRoutes_AreExactlyTheAppsHttpFunctionRoutes()
    {
        var documented = Document.Operations().Select(o => (o.Method, o.Path)).Where(Compared).ToHashSet();
        var implemented = AppRoutes.ToHashSet();

        Assert.True(implemented.Count > 0, "no HTTP function found in the app assembly");
        var differences = implemented.Except(documented)
            .Select(r => $"{r.Method} {r.Path} is an HTTP function docs/openapi.json does not describe")
            .Concat(documented.Except(implemented)
                .Select(r => $"{r.Method} {r.Path} is in docs/openapi.json but no HTTP function has it"))
            .ToList();
        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    [Fact]
    public async Task RealAnswers_HaveDocumentedStatusesBodiesAndHeaders()
    {
        await using var scenario = new AppScenario(redis.ConnectionString);
        scenario.Settings["LocalHost__MasterKey"] = MasterKey;
        using var client = await scenario.StartHttpOnlyHostAsync();
        var operations = Document.Operations().Where(o => AppRoutes.Contains((o.Method, o.Path))).ToList();

        var queue = new Queue<PlannedRequest>(operations.SelectMany(Plan));
        var seen = operations.ToDictionary(o => o.ToString(), _ => new SortedSet<int>());
        var problems = new List<string>();
        for (var sent = 0; queue.TryDequeue(out var planned) && sent < 200; sent++)
        {
            if (!seen.TryGetValue(planned.Operation.ToString(), out var statuses))
                continue; // a link to an operation the app does not have yet (see AppHasOperationsRoutes)
            using var request = planned.ToMessage();
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync();
            statuses.Add(status);
            var what = $"{planned.Operation} ({planned.Kind}) answered {status}";
            var spec = CheckAnswer(planned.Operation, status, response, body, what, problems);
            if (spec is { } documented && status < 300)
                foreach (var next in FollowLinks(documented, body))
                    queue.Enqueue(next);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        // Every orders operation must have succeeded at least once (202, then 200 through the links), so the success
        // bodies were checked, not only the errors.
        foreach (var operation in operations.Where(o => Tags(o).Contains("orders")))
            Assert.True(seen[operation.ToString()].Any(s => s is >= 200 and < 300),
                $"{operation} never answered 2xx: {string.Join(", ", seen[operation.ToString()])}");
    }

    /// <summary>The requests an operation gets: its documented example (path parameters from their examples, the
    /// request body's example), and for an operation with a required body, a malformed JSON body.</summary>
    private static IEnumerable<PlannedRequest> Plan(OpenApiOperation operation)
    {
        var pathValues = operation.Parameters.Where(p => p.GetProperty("in").GetString() == "path")
            .ToDictionary(
                p => p.GetProperty("name").GetString()!,
                p => p.TryGetProperty("example", out var e) ? e.ToString() : "x");
        var body = operation.Definition.TryGetProperty("requestBody", out var b) ? Document.Resolve(b) : default;
        var example = body.ValueKind == JsonValueKind.Object
                      && body.GetProperty("content").TryGetProperty("application/json", out var json)
                      && json.TryGetProperty("example", out var e) ? e.GetRawText() : null;
        yield return new PlannedRequest(operation, "documented example", pathValues, example);
        if (body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("required", out var required) && required.GetBoolean())
            yield return new PlannedRequest(operation, "malformed JSON body", pathValues, "{\"items\":[");
        if (operation.Statuses.Contains("403"))
            yield return new PlannedRequest(operation, "cross-origin browser request", pathValues, example)
            {
                Origin = "http://elsewhere.example",
            };
    }

    /// <summary>Checks one answer against the operation's responses; the documented response, when there is
    /// one.</summary>
    private static JsonElement? CheckAnswer(
        OpenApiOperation operation, int status, HttpResponseMessage response, byte[] body, string what,
        List<string> problems)
    {
        var responses = operation.Definition.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(), out var documented))
        {
            problems.Add($"{what}, which the document does not list "
                + $"(it lists {string.Join(", ", operation.Statuses)}): {Encoding.UTF8.GetString(body)}");
            return null;
        }
        documented = Document.Resolve(documented);

        if (documented.TryGetProperty("headers", out var headers))
            foreach (var header in headers.EnumerateObject())
                if (Document.Resolve(header.Value).TryGetProperty("required", out var r) && r.GetBoolean()
                    && !response.Headers.Contains(header.Name) && !response.Content.Headers.Contains(header.Name))
                    problems.Add($"{what} without its documented header {header.Name}");

        if (!documented.TryGetProperty("content", out var content) || operation.Method == "HEAD")
        {
            if (body.Length > 0)
                problems.Add($"{what} with a body, where the document has none: {Encoding.UTF8.GetString(body)}");
            return documented;
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var described = content.EnumerateObject()
            .Where(c => MediaTypeMatches(c.Name, mediaType))
            .Select(c => c.Value)
            .FirstOrDefault();
        if (described.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{what} as '{mediaType}', which the document does not list "
                + $"({string.Join(", ", content.EnumerateObject().Select(c => c.Name))})");
            return documented;
        }
        if (mediaType!.EndsWith("json", StringComparison.Ordinal) && described.TryGetProperty("schema", out var schema))
        {
            JsonElement value;
            try { value = JsonDocument.Parse(body).RootElement.Clone(); }
            catch (JsonException)
            {
                problems.Add($"{what} with a body that is not JSON: {Encoding.UTF8.GetString(body)}");
                return documented;
            }
            problems.AddRange(JsonSchemaCheck.Problems(Document, schema, value).Select(p => $"{what}: {p}"));
        }
        return documented;
    }

    private static bool MediaTypeMatches(string documented, string? actual) =>
        actual is not null && (documented == actual
            || (documented.EndsWith("/*+json", StringComparison.Ordinal)
                && actual.EndsWith("+json", StringComparison.Ordinal)));

    /// <summary>The requests the response's <c>links</c> lead to (parameters from
    /// <c>$response.body#/…</c>).</summary>
    private static IEnumerable<PlannedRequest> FollowLinks(JsonElement documented, byte[] body)
    {
        if (!documented.TryGetProperty("links", out var links) || body.Length == 0)
            yield break;
        var answer = JsonDocument.Parse(body).RootElement;
        foreach (var link in links.EnumerateObject())
        {
            var target = Document.Operation(link.Value.GetProperty("operationId").GetString()!);
            var values = new Dictionary<string, string>();
            foreach (var parameter in link.Value.GetProperty("parameters").EnumerateObject())
            {
                var pointer = parameter.Value.GetString()!.Split("$response.body#/")[1];
                values[parameter.Name] = pointer.Split('/')
                    .Aggregate(answer, (node, part) => node.GetProperty(part))
                    .ToString();
            }
            yield return new PlannedRequest(target, $"link {link.Name}", values, null);
        }
    }

    private static IEnumerable<string> Tags(OpenApiOperation operation) =>
        operation.Definition.TryGetProperty("tags", out var tags)
            ? tags.EnumerateArray().Select(t => t.GetString()!)
            : [];

    private sealed record PlannedRequest(
        OpenApiOperation Operation, string Kind, IReadOnlyDictionary<string, string> PathValues, string? JsonBody)
    {
        /// <summary>The <c>Origin</c> header a browser would send, or null.</summary>
        public string? Origin { get; init; }

        public HttpRequestMessage ToMessage()
        {
            var path = PathValues.Aggregate(
                Operation.Path, (p, v) => p.Replace("{" + v.Key + "}", Uri.EscapeDataString(v.Value)));
            var message = new HttpRequestMessage(new HttpMethod(Operation.Method), path);
            if (JsonBody is not null)
                message.Content = new StringContent(JsonBody, new MediaTypeHeaderValue("application/json"));
            if (!Operation.IsAnonymous)
                message.Headers.Add("x-functions-key", MasterKey);
            if (Origin is not null)
                message.Headers.Add("Origin", Origin);
            return message;
        }
    }
}
