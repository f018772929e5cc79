using System.Reflection;
using OrdersFunctions.App.Functions;
using OrdersFunctions.LocalHost;

namespace OrdersFunctions.App.Tests;

/// <summary>The local host binds a stream function's trigger parameter whichever <see cref="ParameterInfo"/> object
/// describes it: two threads reflecting over one method at once can get two sets of them (seen as a host that failed to
/// start with "parameter 'orders' cannot be bound" while another test started one in parallel). No I/O.</summary>
public sealed class StreamTriggerBinderTests
{
    [Fact]
    public void For_AnotherObjectDescribingTheTriggerParameter_BindsIt()
    {
        var method = typeof(AppendOrderToSpreadsheet).GetMethod(nameof(AppendOrderToSpreadsheet.Run))!;
        var trigger = new SameParameter(method.GetParameters()[0]);

        var binder = StreamTriggerBinder.For(new FunctionDescriptor(nameof(AppendOrderToSpreadsheet), method, trigger));

        Assert.True(binder.IsBatched);
    }

    /// <summary>Another object for the same parameter, as a second reflection of the method yields.</summary>
    private sealed class SameParameter : ParameterInfo
    {
        private readonly ParameterInfo _parameter;

        public SameParameter(ParameterInfo parameter)
        {
            _parameter = parameter;
            ClassImpl = parameter.ParameterType;
            NameImpl = parameter.Name;
            PositionImpl = parameter.Position;
            MemberImpl = parameter.Member;
            AttrsImpl = parameter.Attributes;
        }

        public override object[] GetCustomAttributes(bool inherit) => _parameter.GetCustomAttributes(inherit);

        public override object[] GetCustomAttributes(Type attributeType, bool inherit) =>
            _parameter.GetCustomAttributes(attributeType, inherit);

        public override bool IsDefined(Type attributeType, bool inherit) =>
            _parameter.IsDefined(attributeType, inherit);
    }
}
