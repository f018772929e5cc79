using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

// The Worker SDK reads this to generate the WorkerExtensions project that restores our host-side extension from the
// repo-local feed. Keep the version equal to the WebJobs project's PackageVersion (Directory.Build.props).
[assembly: ExtensionInformation("OrdersFunctions.RedisStreams.WebJobs", "1.0.0")]
