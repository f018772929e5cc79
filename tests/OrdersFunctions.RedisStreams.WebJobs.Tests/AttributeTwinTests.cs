using System.Reflection;
using Microsoft.Azure.WebJobs.Description;
using HostAttribute = OrdersFunctions.RedisStreams.WebJobs.RedisConsumerGroupTriggerAttribute;
using WorkerAttribute = OrdersFunctions.RedisStreams.Worker.RedisConsumerGroupTriggerAttribute;

namespace OrdersFunctions.RedisStreams.WebJobs.Tests;

/// <summary>The Functions host builds the host attribute from the worker attribute's binding JSON by name: constructor
/// parameters and properties must match one to one, with the same types.</summary>
public sealed class AttributeTwinTests
{
    [Fact]
    public void WorkerConstructorParameters_MatchTheHostConstructorParameters()
    {
        Assert.Equal(Parameters(typeof(WorkerAttribute)), Parameters(typeof(HostAttribute)));
    }

    [Fact]
    public void EveryWorkerProperty_HasAHostPropertyOfTheSameNameAndType()
    {
        var host = Properties(typeof(HostAttribute));
        foreach (var (name, type) in Properties(typeof(WorkerAttribute)))
        {
            Assert.True(host.TryGetValue(name, out var hostType), $"The host attribute lacks property {name}");
            Assert.Equal(type, hostType);
        }
    }

    [Fact]
    public void EveryHostProperty_HasAWorkerPropertyOfTheSameNameAndType()
    {
        var worker = Properties(typeof(WorkerAttribute));
        foreach (var (name, type) in Properties(typeof(HostAttribute)))
        {
            Assert.True(worker.TryGetValue(name, out var workerType),
                $"The worker attribute lacks property {name}, so the host never gets a value for it");
            Assert.Equal(type, workerType);
        }
    }

    [Fact]
    public void HostAttribute_IsABindingInTheAssemblyOfTheConfigProvider()
    {
        Assert.NotNull(typeof(HostAttribute).GetCustomAttribute<BindingAttribute>());
        Assert.Equal(typeof(RedisStreamsExtensionConfigProvider).Assembly, typeof(HostAttribute).Assembly);
        Assert.Equal(typeof(WorkerAttribute).Name, typeof(HostAttribute).Name);
    }

    private static (string, Type)[] Parameters(Type attribute) =>
        attribute.GetConstructors().Single().GetParameters().Select(p => (p.Name!, p.ParameterType)).ToArray();

    /// <summary>
    /// Public instance properties declared on the attribute itself (not on Attribute or TriggerBindingAttribute).
    /// </summary>
    private static Dictionary<string, Type> Properties(Type attribute) =>
        attribute.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.Ordinal);
}
