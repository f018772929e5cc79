using System.Text;
using Microsoft.Azure.Functions.Worker.Converters;

namespace OrdersFunctions.RedisStreams.Worker;

/// <summary>Binds <see cref="RedisStreamMessage"/> and <see cref="RedisStreamMessage"/><c>[]</c> parameters (see
/// <see cref="RedisStreamMessageFactory"/>); every other parameter type falls back to the worker's own converters
/// (string, byte[], JSON POCOs and their arrays).</summary>
[SupportedTargetType(typeof(RedisStreamMessage))]
[SupportedTargetType(typeof(RedisStreamMessage[]))]
public sealed class RedisStreamMessageConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TargetType == typeof(RedisStreamMessage[]))
            return new ValueTask<ConversionResult>(ConvertBatch(context));
        if (context.TargetType != typeof(RedisStreamMessage))
            return new ValueTask<ConversionResult>(ConversionResult.Unhandled());
        var payload = context.Source switch
        {
            string text => text,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            ReadOnlyMemory<byte> memory => Encoding.UTF8.GetString(memory.Span),
            _ => null,
        };
        if (payload is null)
            return new ValueTask<ConversionResult>(ConversionResult.Unhandled());
        try
        {
            var message = RedisStreamMessageFactory.Create(payload, context.FunctionContext.BindingContext.BindingData);
            return new ValueTask<ConversionResult>(ConversionResult.Success(message));
        }
        catch (System.Text.Json.JsonException ex)
        {
            return new ValueTask<ConversionResult>(ConversionResult.Failed(ex));
        }
    }

    private static ConversionResult ConvertBatch(ConverterContext context)
    {
        if (context.Source is not string payloads)
            return ConversionResult.Unhandled();
        try
        {
            return ConversionResult.Success(
                RedisStreamMessageFactory.CreateBatch(payloads, context.FunctionContext.BindingContext.BindingData));
        }
        catch (System.Text.Json.JsonException ex)
        {
            return ConversionResult.Failed(ex);
        }
    }
}
