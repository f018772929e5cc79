using System.Linq.Expressions;
using System.Reflection;

namespace OrdersFunctions.LocalHost;

/// <summary>
/// Creates the function's class from the invocation's services (a new instance per invocation, as the isolated
/// worker does), calls the method and awaits whatever it returns.
/// </summary>
/// <remarks>
/// Everything reflective happens once, in the constructor: the call is a compiled delegate (no
/// <see cref="MethodBase.Invoke(object?, object?[])"/> per invocation, and exceptions come through unwrapped because
/// nothing wraps them), and how to await the result is chosen from the method's declared return type.
/// </remarks>
internal sealed class FunctionInvoker
{
    private static readonly MethodInfo AwaitTaskOfT =
        typeof(FunctionInvoker).GetMethod(nameof(AwaitTaskOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo AwaitValueTaskOfT =
        typeof(FunctionInvoker).GetMethod(nameof(AwaitValueTaskOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly ObjectFactory? _factory;
    private readonly Func<object?, object?[], object?> _call;
    private readonly Func<object?, Task<object?>> _unwrap;

    public FunctionInvoker(FunctionDescriptor function)
    {
        var method = function.Method;
        _factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
        _call = CompileCall(method);
        _unwrap = ResultUnwrapper(method.ReturnType);
    }

    /// <summary>The function's result (null for void, Task and ValueTask). Exceptions come through unwrapped.</summary>
    public async Task<object?> InvokeAsync(IServiceProvider services, object?[] arguments)
    {
        var instance = _factory?.Invoke(services, null);
        try
        {
            return await _unwrap(_call(instance, arguments)).ConfigureAwait(false);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    /// <summary><c>(instance, args) => (object)((TClass)instance).Method((T0)args[0], …)</c>, or null for
    /// void.</summary>
    private static Func<object?, object?[], object?> CompileCall(MethodInfo method)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters().Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType));
        var call = Expression.Call(
            method.IsStatic ? null : Expression.Convert(instance, method.DeclaringType!), method, parameters);
        Expression body = method.ReturnType == typeof(void)
            ? Expression.Block(call, Expression.Constant(null, typeof(object)))
            : Expression.Convert(call, typeof(object));
        return Expression.Lambda<Func<object?, object?[], object?>>(body, instance, arguments).Compile();
    }

    /// <summary>How to await a result of the declared <paramref name="returnType"/> and get its value.</summary>
    private static Func<object?, Task<object?>> ResultUnwrapper(Type returnType)
    {
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
            return AwaitTaskOfT.MakeGenericMethod(returnType.GetGenericArguments()[0])
                .CreateDelegate<Func<object?, Task<object?>>>();
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
            return AwaitValueTaskOfT.MakeGenericMethod(returnType.GetGenericArguments()[0])
                .CreateDelegate<Func<object?, Task<object?>>>();
        if (returnType == typeof(Task))
            return AwaitTaskAsync;
        if (returnType == typeof(ValueTask))
            return AwaitValueTaskAsync;
        return Task.FromResult; // a plain value (or null for void)
    }

    private static async Task<object?> AwaitTaskAsync(object? result)
    {
        if (result is Task task)
            await task.ConfigureAwait(false);
        return null;
    }

    private static async Task<object?> AwaitValueTaskAsync(object? result)
    {
        if (result is ValueTask valueTask)
            await valueTask.ConfigureAwait(false);
        return null;
    }

    private static async Task<object?> AwaitTaskOfAsync<T>(object? result) =>
        result is Task<T> task ? await task.ConfigureAwait(false) : null;

    private static async Task<object?> AwaitValueTaskOfAsync<T>(object? result) =>
        await ((ValueTask<T>)result!).ConfigureAwait(false);
}
