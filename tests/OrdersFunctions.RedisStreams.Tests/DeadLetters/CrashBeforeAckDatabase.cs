using System.Reflection;
using StackExchange.Redis;

namespace OrdersFunctions.RedisStreams.Tests.DeadLetters;

/// <summary>A database whose XACK never reaches Redis: the process "dies" right before it (every other call goes
/// through).</summary>
public class CrashBeforeAckDatabase : DispatchProxy
{
    private IDatabase _target = null!;

    public static IDatabase Wrap(IDatabase target)
    {
        var proxy = Create<IDatabase, CrashBeforeAckDatabase>();
        ((CrashBeforeAckDatabase)(object)proxy)._target = target;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IDatabase.StreamAcknowledgeAsync))
            throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "The process died before its XACK.");
        try
        {
            return targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
