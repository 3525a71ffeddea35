using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Nudge.Channels.Templates.Rendering;

/// <summary>
/// A variable written out by <c>{{ ... }}</c>: renders as Liquid does (nothing when missing) and reports the
/// missing path to the render, so a preview can list what the data did not have.
/// </summary>
internal sealed class TrackedMemberExpression(Expression inner, string path) : Expression
{
    public override ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
    {
        var task = inner.EvaluateAsync(context);
        if (!task.IsCompletedSuccessfully)
            return AwaitedAsync(task, context);
        var value = task.Result;
        if (value.IsNil())
            Report(context);
        return new ValueTask<FluidValue>(value);
    }

    private async ValueTask<FluidValue> AwaitedAsync(ValueTask<FluidValue> task, TemplateContext context)
    {
        var value = await task;
        if (value.IsNil())
            Report(context);
        return value;
    }

    private void Report(TemplateContext context)
    {
        if (context is NudgeTemplateContext nudge)
            nudge.ReportMissing(path);
    }

    /// <summary>The path as the author wrote it: <c>event.products[0].name</c>.</summary>
    public static string PathOf(MemberExpression member)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var segment in member.Segments)
        {
            switch (segment)
            {
                case IdentifierSegment identifier:
                    if (builder.Length > 0)
                        builder.Append('.');
                    builder.Append(identifier.Identifier);
                    break;
                case IndexerSegment { Expression: LiteralExpression literal }:
                    var key = literal.Value;
                    builder.Append('[').Append(key.Type == FluidValues.String ? "\"" + key.ToStringValue() + "\"" : key.ToStringValue()).Append(']');
                    break;
                case IndexerSegment { Expression: MemberExpression variable }:
                    builder.Append('[').Append(PathOf(variable)).Append(']');
                    break;
                default:
                    builder.Append("[…]");
                    break;
            }
        }
        return builder.ToString();
    }
}
