using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Creates the function's class from the invocation's services (a new instance per invocation, as the isolated
/// worker does), calls the method and awaits whatever it returns.
/// </summary>
internal sealed class FunctionInvoker(FunctionDescriptor function)
{
    private readonly ObjectFactory? _factory = function.Method.IsStatic
        ? null
        : ActivatorUtilities.CreateFactory(function.Method.DeclaringType!, Type.EmptyTypes);

    /// <summary>The function's result (null for void, Task and ValueTask). Exceptions come through unwrapped.</summary>
    public async Task<object?> InvokeAsync(IServiceProvider services, object?[] arguments)
    {
        var instance = _factory?.Invoke(services, null);
        try
        {
            var result = function.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            return await UnwrapAsync(result).ConfigureAwait(false);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync().ConfigureAwait(false); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    private static async Task<object?> UnwrapAsync(object? result)
    {
        switch (result)
        {
            case Task task:
                await task.ConfigureAwait(false);
                var type = task.GetType();
                // Task<T> (and its runtime subclasses) carry a Result; plain Task's is VoidTaskResult.
                return type.IsGenericType && type.GetProperty("Result") is { } property && property.PropertyType.Name != "VoidTaskResult"
                    ? property.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            case not null when result.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)t.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null)!;
                return await UnwrapAsync(asTask).ConfigureAwait(false);
            default:
                return result;
        }
    }
}
