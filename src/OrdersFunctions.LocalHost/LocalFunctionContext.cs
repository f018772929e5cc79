using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// The <see cref="FunctionContext"/> a function gets under the local host: invocation and function ids, the
/// function's definition, the invocation's services, binding data (strings, as the Functions host sends them to the
/// worker),
/// the W3C trace context and the cancellation token. Features and retry context are not modelled.
/// </summary>
internal sealed class LocalFunctionContext : FunctionContext
{
    private readonly Func<IReadOnlyDictionary<string, object?>> _bindingData;
    private string? _invocationId;
    private BindingContext? _bindingContext;
    private IDictionary<object, object>? _items;
    private IInvocationFeatures? _features;

    /// <param name="definition">The function's definition, built once per function with
    /// <see cref="Define"/>.</param>
    /// <param name="services">The invocation's services.</param>
    /// <param name="bindingData">Builds the binding data; called only if the function reads it (most do not, and
    /// building it per invocation was a measurable part of the local host's cost).</param>
    /// <param name="cancellationToken">The invocation's cancellation.</param>
    public LocalFunctionContext(
        FunctionDefinition definition,
        IServiceProvider services,
        Func<IReadOnlyDictionary<string, object?>> bindingData,
        CancellationToken cancellationToken)
    {
        FunctionDefinition = definition;
        InstanceServices = services;
        _bindingData = bindingData;
        CancellationToken = cancellationToken;
        // Captured now: the ambient activity is the invocation's only while it starts.
        var activity = Activity.Current;
        TraceContext = new LocalTraceContext(activity?.Id ?? "", activity?.TraceStateString ?? "");
    }

    /// <summary>The definition of <paramref name="function"/>, shared by all its invocations.</summary>
    public static FunctionDefinition Define(FunctionDescriptor function) => new LocalFunctionDefinition(function);

    // The lazy members below are per invocation, and an invocation's context is used by one logical flow at a time.
    public override string InvocationId => _invocationId ??= Guid.NewGuid().ToString();
    public override string FunctionId => FunctionDefinition.Id;
    public override TraceContext TraceContext { get; }
    public override BindingContext BindingContext => _bindingContext ??= new LocalBindingContext(_bindingData());
    public override RetryContext RetryContext => null!; // no Functions retry policies here; the engine retries
    public override IServiceProvider InstanceServices { get; set; }
    public override FunctionDefinition FunctionDefinition { get; }
    public override IDictionary<object, object> Items
    {
        get => _items ??= new Dictionary<object, object>();
        set => _items = value;
    }
    public override IInvocationFeatures Features => _features ??= new LocalInvocationFeatures();
    public override CancellationToken CancellationToken { get; }

    private sealed class LocalBindingContext(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = data;
    }

    private sealed class LocalTraceContext(string traceParent, string traceState) : TraceContext
    {
        public override string TraceParent { get; } = traceParent;
        public override string TraceState { get; } = traceState;
    }

    private sealed class LocalFunctionDefinition(FunctionDescriptor function) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters { get; } =
            function.Method.GetParameters()
                .Select(p => new FunctionParameter(p.Name!, p.ParameterType))
                .ToImmutableArray();
        public override string PathToAssembly { get; } = function.Method.DeclaringType!.Assembly.Location;
        public override string EntryPoint { get; } =
            $"{function.Method.DeclaringType!.FullName}.{function.Method.Name}";
        public override string Id { get; } = function.Id;
        public override string Name { get; } = function.Name;
        public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; } =
            ImmutableDictionary<string, BindingMetadata>.Empty;
        public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; } =
            ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class LocalInvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = new();

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public void Set<T>(T instance)
        {
            if (instance is null) _features.Remove(typeof(T));
            else _features[typeof(T)] = instance;
        }

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
